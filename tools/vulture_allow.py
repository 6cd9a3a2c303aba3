"""Names vulture cannot see used: ``tools/test.sh`` runs ``vulture kernel_advisor
tools/vulture_allow.py``.

Each is called or read by something outside our code: Qt calls its virtual methods, urllib3
its retry hook, tarfile reads the members' attributes, ``dataclasses.asdict`` the fields that
the JSON contract carries. Never imported or run (vulture's whitelist form)."""

# ruff: noqa: B018, F821
_.sizeHint, _.paintEvent  # QWidget virtuals (kernel_advisor.gui.timeline_widget)
_.rowCount, _.columnCount, _.headerData, _.sort  # QAbstractTableModel (gui.wizard.fleet_model)
_.nextId, _.isComplete, _.initializePage, _.validatePage  # QWizardPage virtuals
_.Steps  # a Protocol, used in a cast() (kernel_advisor.gui.wizard.widgets)
_.latest_in_series, _.newest_longterm  # JSON stability keys, by asdict (kernel_advisor.model)
_.get_backoff_time  # urllib3's Retry hook (kernel_advisor.releases)
_.mtime  # tarfile.TarInfo.mtime (kernel_advisor.snapshot)
_.__getattr__  # PEP 562: kernel_advisor.hostfs.TarRoot on first use
_.option_fields  # kernel_advisor.inputs.Inputs: tests/test_cli.py holds the parser to it
_.sort_by  # gui.wizard.fleet.FleetPage: its sort keys, driven by tests/gui/test_fleet_table.py
_.SUMMARY  # kernel_advisor.cli: the man page NAME line, read by tools/generate.py
_.messages  # distro/lifecycle.messages(): tools/i18n.py's template of the data's sentences
_.claimed_ids  # systems.claimed_ids(): tests/test_systems.py checks each names a known system
