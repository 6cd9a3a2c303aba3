<?xml version="1.0" encoding="utf-8"?>
<!DOCTYPE TS>
<TS version="2.1" language="de_DE">
<context>
    <name>About</name>
    <message>
        <source>Which virtualization framework fits this machine — lguest, KVM or Xen — and how stable is its kernel.</source>
        <translation>Welches Virtualisierungs-Framework passt zu diesem Rechner – lguest, KVM oder Xen – und wie stabil ist sein Kernel?</translation>
    </message>
    <message>
        <source>Version %1</source>
        <translation>Version %1</translation>
    </message>
    <message>
        <source>Kernel release data bundled with this version: as of %1. The Kernel stability page can ask kernel.org for today&apos;s.</source>
        <translation>Mit dieser Version mitgelieferte Kernel-Release-Daten: Stand %1. Die Seite „Kernel-Stabilität“ kann kernel.org nach den heutigen fragen.</translation>
    </message>
    <message>
        <source>Licence: %1. Source, issues and help: %2</source>
        <translation>Lizenz: %1. Quellcode, Fehlerberichte und Hilfe: %2</translation>
    </message>
    <message>
        <source>Python %1, Qt %2</source>
        <translation>Python %1, Qt %2</translation>
    </message>
    <message>
        <source>About %1</source>
        <translation>Über %1</translation>
    </message>
</context>
<context>
    <name>AdvisorWizard</name>
    <message>
        <source>Abo&amp;ut</source>
        <extracomment>at 100 %; never more than the screen&apos;s available area</extracomment>
        <translation>&amp;Über</translation>
    </message>
</context>
<context>
    <name>Export</name>
    <message>
        <source>Replace a write-protected file?</source>
        <translation>Eine schreibgeschützte Datei ersetzen?</translation>
    </message>
    <message>
        <source>%s is write-protected. Replace it anyway?</source>
        <translation>%s ist schreibgeschützt. Trotzdem ersetzen?</translation>
    </message>
</context>
<context>
    <name>FleetModel</name>
    <message>
        <source>%s (refused)</source>
        <translation>%s (abgelehnt)</translation>
    </message>
</context>
<context>
    <name>FleetPage</name>
    <message>
        <source>One row per machine. Type to filter, click a heading to sort, double-click a machine for its full analysis.</source>
        <translation>Eine Zeile je Rechner. Tippen zum Filtern, Spaltenkopf anklicken zum Sortieren, Rechner doppelklicken für seine vollständige Analyse.</translation>
    </message>
    <message>
        <source>Fleet</source>
        <translation>Flotte</translation>
    </message>
    <message>
        <source>e.g. KVM, off in firmware, eol, web</source>
        <translation>z. B. KVM, off in firmware, eol, web</translation>
    </message>
    <message>
        <source>Filter the machines</source>
        <translation>Die Rechner filtern</translation>
    </message>
    <message>
        <source>F&amp;ilter:</source>
        <translation>F&amp;ilter:</translation>
    </message>
    <message>
        <source>Snapshots analysed</source>
        <translation>Analysierte Snapshots</translation>
    </message>
    <message>
        <source>%v of %m snapshots</source>
        <translation>%v von %m Snapshots</translation>
    </message>
    <message>
        <source>Sto&amp;p</source>
        <translation>An&amp;halten</translation>
    </message>
    <message>
        <source>Stop analysing the snapshots</source>
        <translation>Die Analyse der Snapshots anhalten</translation>
    </message>
    <message>
        <source>Sort the machines by</source>
        <translation>Die Rechner sortieren nach</translation>
    </message>
    <message>
        <source>&amp;Sort by:</source>
        <translation>So&amp;rtieren nach:</translation>
    </message>
    <message>
        <source>&amp;Descending</source>
        <translation>Absteigen&amp;d</translation>
    </message>
    <message>
        <source>Select all machines</source>
        <translation>Alle Rechner auswählen</translation>
    </message>
    <message>
        <source>Machines of the fleet</source>
        <translation>Rechner der Flotte</translation>
    </message>
    <message>
        <source>Fleet summary</source>
        <translation>Zusammenfassung der Flotte</translation>
    </message>
    <message>
        <source>Fleet report format</source>
        <translation>Format des Flottenberichts</translation>
    </message>
    <message>
        <source>F&amp;ormat:</source>
        <translation>F&amp;ormat:</translation>
    </message>
    <message>
        <source>&amp;Export…</source>
        <translation>E&amp;xportieren…</translation>
    </message>
    <message>
        <source>Export the fleet report to a file</source>
        <translation>Den Flottenbericht in eine Datei exportieren</translation>
    </message>
    <message>
        <source>Export status</source>
        <translation>Exportstatus</translation>
    </message>
    <message>
        <source>The folder cannot be read: %s</source>
        <translation>Der Ordner kann nicht gelesen werden: %s</translation>
    </message>
    <message numerus="yes">
        <source>Analysing %n snapshot(s)…</source>
        <translation>
            <numerusform>Analysiere %n Snapshot…</numerusform>
            <numerusform>Analysiere %n Snapshots…</numerusform>
        </translation>
    </message>
    <message>
        <source>Stopped. </source>
        <translation>Angehalten. </translation>
    </message>
    <message>
        <source>This folder holds no snapshots (*.tar.gz).</source>
        <translation>Dieser Ordner enthält keine Snapshots (*.tar.gz).</translation>
    </message>
    <message>
        <source>The fleet could not be analysed: %s</source>
        <translation>Die Flotte konnte nicht analysiert werden: %s</translation>
    </message>
    <message>
        <source>%s — Kernel Advisor</source>
        <translation>%s – Kernel Advisor</translation>
    </message>
    <message>
        <source>Export fleet report</source>
        <translation>Flottenbericht exportieren</translation>
    </message>
    <message>
        <source>Writing %s…</source>
        <translation>%s wird geschrieben…</translation>
    </message>
    <message>
        <source>Wrote %s.</source>
        <translation>%s geschrieben.</translation>
    </message>
    <message>
        <source>Nothing was written: %s</source>
        <translation>Nichts wurde geschrieben: %s</translation>
    </message>
</context>
<context>
    <name>Inputs</name>
    <message>
        <source>Saving a snapshot of this computer</source>
        <extracomment>the pages each choice on the welcome page walks through (&quot;Step N of M&quot;)</extracomment>
        <translation>Einen Snapshot dieses Computers speichern</translation>
    </message>
    <message>
        <source>Fleet: the snapshots in %s</source>
        <translation>Flotte: die Snapshots in %s</translation>
    </message>
</context>
<context>
    <name>NeedsPage</name>
    <message>
        <source>The defaults suit most people; change what does not fit.</source>
        <translation>Die Voreinstellungen passen für die meisten; ändern Sie, was nicht passt.</translation>
    </message>
    <message>
        <source>Your needs</source>
        <translation>Ihr Bedarf</translation>
    </message>
    <message>
        <source>Which systems will run as guests?</source>
        <translation>Welche Systeme sollen als Gäste laufen?</translation>
    </message>
    <message>
        <source>&amp;Linux only</source>
        <translation>Nur &amp;Linux</translation>
    </message>
    <message>
        <source>Any system, &amp;Windows or BSD too</source>
        <translation>Jedes System, auch Windows oder &amp;BSD</translation>
    </message>
    <message>
        <source>Learning and experimenting</source>
        <translation>Lernen und Ausprobieren</translation>
    </message>
    <message>
        <source>Desktop virtual machines</source>
        <translation>Virtuelle Maschinen auf dem Desktop</translation>
    </message>
    <message>
        <source>Servers</source>
        <translation>Server</translation>
    </message>
    <message>
        <source>Kernel development</source>
        <translation>Kernel-Entwicklung</translation>
    </message>
    <message>
        <source>Purpose</source>
        <translation>Einsatzzweck</translation>
    </message>
    <message>
        <source>&amp;Purpose:</source>
        <translation>&amp;Einsatzzweck:</translation>
    </message>
    <message>
        <source>What matters more?</source>
        <translation>Was ist wichtiger?</translation>
    </message>
    <message>
        <source>A &amp;stable base</source>
        <translation>Eine &amp;stabile Basis</translation>
    </message>
    <message>
        <source>The newest fea&amp;tures</source>
        <translation>Die neuesten Funk&amp;tionen</translation>
    </message>
</context>
<context>
    <name>Page</name>
    <message>
        <source>Step %1 of %2</source>
        <translation>Schritt %1 von %2</translation>
    </message>
</context>
<context>
    <name>RecommendationPage</name>
    <message>
        <source>The three frameworks, best first, with the evidence behind each verdict and what to do next.</source>
        <extracomment>each requirement state&apos;s icon: the standard pixmap of the check status it resembles</extracomment>
        <translation>Die drei Frameworks, das beste zuerst, mit den Belegen hinter jedem Urteil und dem, was als Nächstes zu tun ist.</translation>
    </message>
    <message>
        <source>Recommendation</source>
        <translation>Empfehlung</translation>
    </message>
    <message>
        <source>The answer in one sentence</source>
        <translation>Die Antwort in einem Satz</translation>
    </message>
    <message>
        <source>What your virtual machines will get</source>
        <translation>Was Ihre virtuellen Maschinen bekommen</translation>
    </message>
    <message>
        <source>%1: %2</source>
        <translation>%1: %2</translation>
    </message>
    <message>
        <source>Copy</source>
        <translation>Kopieren</translation>
    </message>
    <message>
        <source>Copy this verdict with its requirements and steps, as text</source>
        <translation>Dieses Urteil mit seinen Voraussetzungen und Schritten als Text kopieren</translation>
    </message>
    <message>
        <source>Copy the verdict on %s</source>
        <translation>Das Urteil über %s kopieren</translation>
    </message>
    <message>
        <source>Could not be known here: %s</source>
        <translation>Hier nicht feststellbar: %s</translation>
    </message>
    <message>
        <source>Then:</source>
        <translation>Danach:</translation>
    </message>
    <message>
        <source>Copy the command</source>
        <translation>Den Befehl kopieren</translation>
    </message>
    <message>
        <source>Sources:</source>
        <translation>Quellen:</translation>
    </message>
    <message>
        <source>Sources for %s</source>
        <translation>Quellen für %s</translation>
    </message>
    <message>
        <source>Copy: %s</source>
        <translation>Kopieren: %s</translation>
    </message>
</context>
<context>
    <name>ReportPage</name>
    <message>
        <source>Keep the answer: export a report, or copy a summary.</source>
        <translation>Behalten Sie die Antwort: Exportieren Sie einen Bericht oder kopieren Sie eine Zusammenfassung.</translation>
    </message>
    <message>
        <source>Report</source>
        <translation>Bericht</translation>
    </message>
    <message>
        <source>Report format</source>
        <translation>Berichtsformat</translation>
    </message>
    <message>
        <source>F&amp;ormat:</source>
        <translation>F&amp;ormat:</translation>
    </message>
    <message>
        <source>Include the analysed machine&apos;s &amp;host name</source>
        <translation>&amp;Hostnamen des analysierten Rechners aufnehmen</translation>
    </message>
    <message>
        <source>Include the analysed machine&apos;s host name</source>
        <translation>Hostnamen des analysierten Rechners aufnehmen</translation>
    </message>
    <message>
        <source>&amp;Export…</source>
        <translation>E&amp;xportieren…</translation>
    </message>
    <message>
        <source>Export the report to a file</source>
        <translation>Den Bericht in eine Datei exportieren</translation>
    </message>
    <message>
        <source>Copy &amp;summary</source>
        <translation>Zusammenfassung &amp;kopieren</translation>
    </message>
    <message>
        <source>Copy a summary to the clipboard</source>
        <translation>Eine Zusammenfassung in die Zwischenablage kopieren</translation>
    </message>
    <message>
        <source>Export status</source>
        <translation>Exportstatus</translation>
    </message>
    <message>
        <source>&amp;Open the report when I click Finish</source>
        <translation>Den Bericht beim Klick auf „Fertigstellen“ ö&amp;ffnen</translation>
    </message>
    <message>
        <source>Summary copied to the clipboard.</source>
        <translation>Zusammenfassung in die Zwischenablage kopiert.</translation>
    </message>
    <message>
        <source>Export report</source>
        <translation>Bericht exportieren</translation>
    </message>
    <message>
        <source>Replace file?</source>
        <translation>Datei ersetzen?</translation>
    </message>
    <message>
        <source>%s exists. Replace it?</source>
        <translation>%s existiert. Ersetzen?</translation>
    </message>
    <message>
        <source>Writing %s…</source>
        <translation>%s wird geschrieben…</translation>
    </message>
    <message>
        <source>Wrote %s.</source>
        <translation>%s geschrieben.</translation>
    </message>
    <message>
        <source>Nothing was written.</source>
        <translation>Nichts wurde geschrieben.</translation>
    </message>
    <message>
        <source>Export failed</source>
        <translation>Export fehlgeschlagen</translation>
    </message>
    <message>
        <source>The report could not be written: %s
Any existing file was left untouched.</source>
        <translation>Der Bericht konnte nicht geschrieben werden: %s
Eine vorhandene Datei blieb unverändert.</translation>
    </message>
</context>
<context>
    <name>ScanPage</name>
    <message>
        <source>Each check appears as it completes. Expand a row for its evidence: the file read and what it said.</source>
        <translation>Jede Prüfung erscheint, sobald sie fertig ist. Klappen Sie eine Zeile auf, um ihre Belege zu sehen: die gelesene Datei und was darin stand.</translation>
    </message>
    <message>
        <source>Scanning</source>
        <translation>Prüfung läuft</translation>
    </message>
    <message>
        <source>Scan progress</source>
        <translation>Fortschritt der Prüfung</translation>
    </message>
    <message>
        <source>%p%</source>
        <translation>%p %</translation>
    </message>
    <message>
        <source>Status</source>
        <translation>Status</translation>
    </message>
    <message>
        <source>Check</source>
        <translation>Prüfung</translation>
    </message>
    <message>
        <source>Finding</source>
        <translation>Befund</translation>
    </message>
    <message>
        <source>Checks and their results</source>
        <translation>Prüfungen und ihre Ergebnisse</translation>
    </message>
    <message>
        <source>&amp;Copy</source>
        <translation>&amp;Kopieren</translation>
    </message>
    <message>
        <source>Scan status</source>
        <translation>Status der Prüfung</translation>
    </message>
    <message>
        <source>Scanning…</source>
        <translation>Prüfung läuft…</translation>
    </message>
    <message>
        <source>Read from: %s</source>
        <translation>Gelesen aus: %s</translation>
    </message>
    <message>
        <source>Not known because: %s</source>
        <translation>Nicht bekannt, weil: %s</translation>
    </message>
    <message>
        <source>Evidence</source>
        <translation>Belege</translation>
    </message>
    <message>
        <source>%s checks done. Next: a few questions about your needs.</source>
        <translation>%s Prüfungen erledigt. Als Nächstes: ein paar Fragen zu Ihrem Bedarf.</translation>
    </message>
    <message>
        <source>No framework fits as things stand.</source>
        <translation>Kein Framework passt, so wie die Dinge stehen.</translation>
    </message>
    <message>
        <source>Go Back to choose something else.</source>
        <translation>Gehen Sie zurück, um etwas anderes zu wählen.</translation>
    </message>
    <message>
        <source>The analysis stopped on an unexpected error: %s. Go Back to try again.</source>
        <translation>Die Analyse brach mit einem unerwarteten Fehler ab: %s. Gehen Sie zurück, um es erneut zu versuchen.</translation>
    </message>
</context>
<context>
    <name>StabilityPage</name>
    <message>
        <source>Odd and even numbers, release channels, and how old our data is.</source>
        <translation>Gerade und ungerade Nummern, Release-Kanäle und wie alt unsere Daten sind.</translation>
    </message>
    <message>
        <source>Kernel stability</source>
        <translation>Kernel-Stabilität</translation>
    </message>
    <message>
        <source>The kernel&apos;s support status</source>
        <translation>Unterstützungsstatus des Kernels</translation>
    </message>
    <message>
        <source>Notes on this kernel&apos;s stability</source>
        <translation>Hinweise zur Stabilität dieses Kernels</translation>
    </message>
    <message>
        <source>Where the release data comes from</source>
        <translation>Woher die Release-Daten stammen</translation>
    </message>
    <message>
        <source>Check &amp;kernel.org now</source>
        <translation>&amp;kernel.org jetzt prüfen</translation>
    </message>
    <message>
        <source>Check kernel.org now</source>
        <translation>kernel.org jetzt prüfen</translation>
    </message>
    <message>
        <source>&amp;Cancel check</source>
        <translation>Prüfung a&amp;bbrechen</translation>
    </message>
    <message>
        <source>Cancel the kernel.org check</source>
        <translation>Die Prüfung bei kernel.org abbrechen</translation>
    </message>
    <message>
        <source>Outcome of the kernel.org check</source>
        <translation>Ergebnis der Prüfung bei kernel.org</translation>
    </message>
    <message>
        <source> (%s days old)</source>
        <translation> (%s Tage alt)</translation>
    </message>
    <message>
        <source>fetched from kernel.org just now</source>
        <translation>soeben von kernel.org geholt</translation>
    </message>
    <message>
        <source>kernel.org&apos;s, cached on this computer</source>
        <translation>von kernel.org, auf diesem Computer zwischengespeichert</translation>
    </message>
    <message>
        <source>bundled with the app</source>
        <translation>mit der App ausgeliefert</translation>
    </message>
    <message>
        <source>Release data: %s.</source>
        <translation>Release-Daten: %s.</translation>
    </message>
    <message>
        <source>Release data: %s, as of %s%s.</source>
        <translation>Release-Daten: %s, Stand %s%s.</translation>
    </message>
    <message>
        <source>Lifecycle dates: endoflife.date (%s), bundled, as of %s.</source>
        <translation>Lebenszyklusdaten: endoflife.date (%s), mitgeliefert, Stand %s.</translation>
    </message>
    <message>
        <source>Checking kernel.org…</source>
        <translation>kernel.org wird geprüft…</translation>
    </message>
    <message>
        <source>Asking kernel.org (gives up after %d seconds)…</source>
        <translation>kernel.org wird gefragt (Abbruch nach %d Sekunden)…</translation>
    </message>
    <message>
        <source>Check cancelled; the release data above is unchanged.</source>
        <translation>Prüfung abgebrochen; die Release-Daten oben sind unverändert.</translation>
    </message>
    <message>
        <source>kernel.org answered: the data above is current.</source>
        <translation>kernel.org hat geantwortet: Die Daten oben sind aktuell.</translation>
    </message>
    <message>
        <source>kernel.org could not be reached: %s</source>
        <translation>kernel.org war nicht erreichbar: %s</translation>
    </message>
    <message>
        <source>no answer</source>
        <translation>keine Antwort</translation>
    </message>
    <message>
        <source>kernel.org check failed: %s</source>
        <translation>Prüfung bei kernel.org fehlgeschlagen: %s</translation>
    </message>
</context>
<context>
    <name>TakeSnapshotPage</name>
    <message>
        <source>Everything Kernel Advisor reads here, in one file: look through it, then save it.</source>
        <translation>Alles, was Kernel Advisor hier liest, in einer Datei: Sehen Sie es durch und speichern Sie es dann.</translation>
    </message>
    <message>
        <source>Save a snapshot of this computer</source>
        <translation>Einen Snapshot dieses Computers speichern</translation>
    </message>
    <message>
        <source>What the snapshot holds</source>
        <translation>Was der Snapshot enthält</translation>
    </message>
    <message>
        <source>Path</source>
        <translation>Pfad</translation>
    </message>
    <message>
        <source>Kind</source>
        <translation>Art</translation>
    </message>
    <message>
        <source>Bytes</source>
        <translation>Bytes</translation>
    </message>
    <message>
        <source>Files in the snapshot</source>
        <translation>Dateien im Snapshot</translation>
    </message>
    <message>
        <source>&amp;Save snapshot…</source>
        <translation>Snapshot speichern &amp;unter…</translation>
    </message>
    <message>
        <source>Save the snapshot to a file</source>
        <translation>Den Snapshot in eine Datei speichern</translation>
    </message>
    <message>
        <source>Snapshot status</source>
        <translation>Status des Snapshots</translation>
    </message>
    <message>
        <source>Collecting what Kernel Advisor reads on this computer…</source>
        <translation>Sammle, was Kernel Advisor auf diesem Computer liest…</translation>
    </message>
    <message>
        <source>%s files and device entries, %s KB compressed. Nothing secret goes in: the kernel command line keeps only the options that matter here, /etc/group only the line of /dev/kvm&apos;s group, the mount table only / and /dev.</source>
        <translation>%s Dateien und Geräteeinträge, %s KB komprimiert. Nichts Geheimes kommt hinein: Von der Kernel-Befehlszeile bleiben nur die hier wichtigen Optionen, von /etc/group nur die Zeile der Gruppe von /dev/kvm, von der Mount-Tabelle nur / und /dev.</translation>
    </message>
    <message>
        <source>The snapshot could not be collected: %s</source>
        <translation>Der Snapshot konnte nicht gesammelt werden: %s</translation>
    </message>
    <message>
        <source>Save snapshot</source>
        <translation>Snapshot speichern</translation>
    </message>
    <message>
        <source>Snapshots (*.tar.gz)</source>
        <translation>Snapshots (*.tar.gz)</translation>
    </message>
    <message>
        <source>Writing %s…</source>
        <translation>%s wird geschrieben…</translation>
    </message>
    <message>
        <source>Saved %s. On the other machine, open it with “A snapshot from another machine”, or run: kernel-advisor check --snapshot %s</source>
        <translation>%s gespeichert. Öffnen Sie ihn auf dem anderen Rechner mit „Ein Snapshot von einem anderen Rechner“ oder führen Sie aus: kernel-advisor check --snapshot %s</translation>
    </message>
    <message>
        <source>Nothing was saved: %s</source>
        <translation>Nichts wurde gespeichert: %s</translation>
    </message>
</context>
<context>
    <name>TimelineWidget</name>
    <message>
        <source>Timeline of virtualization frameworks in Linux</source>
        <translation>Zeitleiste der Virtualisierungs-Frameworks in Linux</translation>
    </message>
    <message>
        <source>KVM from 2.6.20; lguest 2.6.23 to 4.13; Xen domU from 2.6.23 and dom0 from 2.6.37; VMI 2.6.21 to 2.6.36.</source>
        <translation>KVM ab 2.6.20; lguest 2.6.23 bis 4.13; Xen-domU ab 2.6.23 und dom0 ab 2.6.37; VMI 2.6.21 bis 2.6.36.</translation>
    </message>
    <message>
        <source>Marked: this kernel, %s.</source>
        <translation>Markiert: dieser Kernel, %s.</translation>
    </message>
</context>
<context>
    <name>WelcomePage</name>
    <message>
        <source>Choose what to analyse.</source>
        <extracomment>the what-if architectures; &quot;&quot; keeps the analysed machine&apos;s own</extracomment>
        <translation>Wählen Sie, was analysiert werden soll.</translation>
    </message>
    <message>
        <source>Which hypervisor fits this machine?</source>
        <translation>Welcher Hypervisor passt zu diesem Rechner?</translation>
    </message>
    <message>
        <source>Kernel Advisor reads the running kernel&apos;s release, the CPU&apos;s virtualization support (VT-x, AMD-V), /dev/kvm, kernel modules and configuration, and whether this machine is itself a virtual machine or container. It asks for no password and changes nothing.

Nothing leaves this computer, except an optional check of kernel.org&apos;s list of current releases, which you start yourself.</source>
        <translation>Kernel Advisor liest das Release des laufenden Kernels, die Virtualisierungsunterstützung der CPU (VT-x, AMD-V), /dev/kvm, Kernel-Module und -Konfiguration und ob dieser Rechner selbst eine virtuelle Maschine oder ein Container ist. Es fragt nach keinem Passwort und ändert nichts.

Nichts verlässt diesen Computer, außer einer optionalen Abfrage der Liste aktueller Releases bei kernel.org, die Sie selbst starten.</translation>
    </message>
    <message>
        <source>What should be analysed?</source>
        <translation>Was soll analysiert werden?</translation>
    </message>
    <message>
        <source>&amp;This computer</source>
        <translation>&amp;Dieser Computer</translation>
    </message>
    <message>
        <source>A &amp;snapshot from another machine</source>
        <translation>Ein S&amp;napshot von einem anderen Rechner</translation>
    </message>
    <message>
        <source>&amp;What if this computer ran another kernel</source>
        <translation>Was wäre, wenn dieser Computer einen anderen Kern&amp;el hätte</translation>
    </message>
    <message>
        <source>Save a snapshot of this &amp;computer, to analyse elsewhere</source>
        <translation>Einen Snapshot dieses Computers &amp;speichern, um ihn anderswo zu analysieren</translation>
    </message>
    <message>
        <source>A folder of snapshots (a f&amp;leet)</source>
        <translation>Ein Ordner mit Snapshots (eine F&amp;lotte)</translation>
    </message>
    <message>
        <source>a .tar.gz made by &apos;kernel-advisor snapshot&apos;, or the folder it was unpacked into</source>
        <translation>eine mit „kernel-advisor snapshot“ erstellte .tar.gz-Datei oder der Ordner, in den sie entpackt wurde</translation>
    </message>
    <message>
        <source>Snapshot file or unpacked folder</source>
        <translation>Snapshot-Datei oder entpackter Ordner</translation>
    </message>
    <message>
        <source>Br&amp;owse…</source>
        <translation>D&amp;urchsuchen…</translation>
    </message>
    <message>
        <source>Browse for a snapshot file</source>
        <translation>Nach einer Snapshot-Datei suchen</translation>
    </message>
    <message>
        <source>Fol&amp;der…</source>
        <translation>O&amp;rdner…</translation>
    </message>
    <message>
        <source>Choose an unpacked snapshot or a mounted root folder</source>
        <translation>Einen entpackten Snapshot oder einen eingehängten Wurzelordner wählen</translation>
    </message>
    <message>
        <source>Kernel release</source>
        <translation>Kernel-Release</translation>
    </message>
    <message>
        <source>this computer&apos;s</source>
        <translation>das dieses Computers</translation>
    </message>
    <message>
        <source>Architecture</source>
        <translation>Architektur</translation>
    </message>
    <message>
        <source>a folder of .tar.gz snapshots (the playbook&apos;s snapshots/)</source>
        <translation>ein Ordner mit .tar.gz-Snapshots (snapshots/ des Playbooks)</translation>
    </message>
    <message>
        <source>Folder of snapshots</source>
        <translation>Ordner mit Snapshots</translation>
    </message>
    <message>
        <source>Choose &amp;folder…</source>
        <translation>&amp;Ordner wählen…</translation>
    </message>
    <message>
        <source>Choose the folder of snapshots</source>
        <translation>Den Ordner mit Snapshots wählen</translation>
    </message>
    <message>
        <source>&amp;Kernel release:</source>
        <translation>&amp;Kernel-Release:</translation>
    </message>
    <message>
        <source>&amp;Architecture:</source>
        <translation>Arc&amp;hitektur:</translation>
    </message>
    <message>
        <source>Input problem</source>
        <translation>Eingabeproblem</translation>
    </message>
    <message>
        <source>Open a snapshot</source>
        <translation>Einen Snapshot öffnen</translation>
    </message>
    <message>
        <source>Snapshots (*.tar.gz *.tgz *.tar)</source>
        <translation>Snapshots (*.tar.gz *.tgz *.tar)</translation>
    </message>
    <message>
        <source>Choose an unpacked snapshot or a machine&apos;s root folder</source>
        <translation>Einen entpackten Snapshot oder den Wurzelordner eines Rechners wählen</translation>
    </message>
    <message>
        <source>Choose a folder of snapshots</source>
        <translation>Einen Ordner mit Snapshots wählen</translation>
    </message>
    <message>
        <source>%s is a folder, but not a machine&apos;s root or an unpacked snapshot (it has no proc, etc or sys folder): choose the folder that has them, or a snapshot file.</source>
        <translation>%s ist ein Ordner, aber weder die Wurzel eines Rechners noch ein entpackter Snapshot (er hat keinen Ordner proc, etc oder sys): Wählen Sie den Ordner, der sie enthält, oder eine Snapshot-Datei.</translation>
    </message>
    <message>
        <source>Type or browse for the snapshot file to analyse.</source>
        <translation>Geben Sie die zu analysierende Snapshot-Datei ein oder suchen Sie sie.</translation>
    </message>
    <message>
        <source>There is no file %s.</source>
        <translation>Es gibt keine Datei %s.</translation>
    </message>
    <message>
        <source>Type or choose the folder that holds the snapshots.</source>
        <translation>Geben Sie den Ordner mit den Snapshots ein oder wählen Sie ihn.</translation>
    </message>
    <message>
        <source>There is no folder %s.</source>
        <translation>Es gibt keinen Ordner %s.</translation>
    </message>
    <message>
        <source>Type the kernel release to ask about, such as 2.6.23 or 6.8.0-45-generic, or pick an architecture.</source>
        <translation>Geben Sie das Kernel-Release ein, nach dem Sie fragen, etwa 2.6.23 oder 6.8.0-45-generic, oder wählen Sie eine Architektur.</translation>
    </message>
    <message>
        <source>“%s” is not a kernel release: did you mean %s?</source>
        <translation>„%s“ ist kein Kernel-Release: Meinten Sie %s?</translation>
    </message>
    <message>
        <source>“%s” is not a kernel release: it should look like 2.6.23 or 6.8.0-45-generic.</source>
        <translation>„%s“ ist kein Kernel-Release: Es sollte wie 2.6.23 oder 6.8.0-45-generic aussehen.</translation>
    </message>
    <message>
        <source>Reading the snapshot…</source>
        <translation>Der Snapshot wird gelesen…</translation>
    </message>
</context>
<context>
    <name>app</name>
    <message>
        <source>Something went wrong: %s</source>
        <translation>Etwas ist schiefgegangen: %s</translation>
    </message>
    <message>
        <source>The details below can be copied into a bug report.</source>
        <translation>Die Details unten können in einen Fehlerbericht kopiert werden.</translation>
    </message>
</context>
</TS>
