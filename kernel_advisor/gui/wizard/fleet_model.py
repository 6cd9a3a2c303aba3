"""The fleet table's model (sorted and filtered by itself, for 10,000 machines) and how its
columns share the screen."""

from __future__ import annotations

from PySide6 import QtWidgets
from PySide6.QtCore import QAbstractTableModel, QModelIndex, QObject, Qt


class FleetModel(QAbstractTableModel):
    """One row per snapshot file (the cells of :func:`kernel_advisor.report.fleet.cells`,
    the :data:`DETAILS` in the Host cell's tooltip), sorted and filtered by the model itself:
    ``view`` lists the rows shown, in rising order of the sorted column (a falling order shows
    it from the end).

    A ``QSortFilterProxyModel`` over a Python model asks ``data()`` for every cell of every row
    on each sort and each keystroke of the filter (10,000 machines: over a second on the GUI
    thread); here sorting is Python's sort of one key per row, filtering a substring test on
    one prepared string per row, and ``data()`` is asked only for the rows on screen. Rows that
    stream in are inserted where the order puts them."""

    # columns the exports have that the table folds into its Host cell's tooltip: what each
    # machine calls itself and who collected it are details of the row, and ten columns do
    # not fit a window
    DETAILS = ("hostname", "user")

    def __init__(self) -> None:
        super().__init__()
        from kernel_advisor.fleet_row import COLUMNS
        from kernel_advisor.report.fleet import headings

        every = headings()
        keys = [key for key, _h in COLUMNS]
        self.shown_at = [i for i, key in enumerate(keys) if key not in self.DETAILS]
        self.detail_at = [keys.index(key) for key in self.DETAILS]
        self.headings = [every[i] for i in self.shown_at]
        self.detail_headings = [every[i] for i in self.detail_at]
        self.entries: list = []
        self.rows: list[list[str]] = []
        self.details: list[str] = []  # each row's detail lines, for the Host cell's tooltip
        self.haystacks: list[str] = []  # each row's cells, case-folded, for the filter
        self.view: list[int] = []
        self.column, self.order, self.needle = 0, Qt.SortOrder.AscendingOrder, ""
        self.refused_icon = None

    def rowCount(self, parent=QModelIndex()) -> int:  # noqa: B008 (Qt's signature)
        return 0 if parent.isValid() else len(self.view)

    def columnCount(self, parent=QModelIndex()) -> int:  # noqa: B008
        return 0 if parent.isValid() else len(self.headings)

    def data(self, index, role=Qt.ItemDataRole.DisplayRole):
        if not index.isValid():
            return None
        source = self._source(index.row())
        if role == Qt.ItemDataRole.ToolTipRole and index.column() == 0 and self.details[source]:
            return f"{self.rows[source][0]}\n{self.details[source]}"
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole):
            return self.rows[source][index.column()]
        refused = self.entries[source].error is not None
        if refused and index.column() == 0 and role == Qt.ItemDataRole.DecorationRole:
            if self.refused_icon is None:  # asked on every paint: made once
                self.refused_icon = QtWidgets.QApplication.style().standardIcon(
                    QtWidgets.QStyle.StandardPixmap.SP_MessageBoxWarning)
            return self.refused_icon
        if refused and index.column() == 0 and role == Qt.ItemDataRole.AccessibleTextRole:
            return self.tr("%s (refused)") % self.rows[source][0]
        return None

    def shown_entries(self) -> list:
        """The entries as the table shows them: filtered, in its order."""
        return [self.entry(row) for row in range(len(self.view))]

    def headerData(self, section, orientation, role=Qt.ItemDataRole.DisplayRole):
        if role in (Qt.ItemDataRole.DisplayRole, Qt.ItemDataRole.ToolTipRole) \
                and orientation == Qt.Orientation.Horizontal:
            return self.headings[section]
        return None

    def entry(self, row: int):
        """The fleet entry shown in ``row``."""
        return self.entries[self._source(row)]

    def _source(self, row: int) -> int:
        descending = self.order == Qt.SortOrder.DescendingOrder
        return self.view[len(self.view) - 1 - row if descending else row]

    def _key(self, i: int) -> tuple:
        return (self.rows[i][self.column].casefold(), i)

    def _matches(self, i: int) -> bool:
        return not self.needle or self.needle in self.haystacks[i]

    def sort(self, column: int, order=Qt.SortOrder.AscendingOrder) -> None:
        """What the view calls when a heading is clicked."""
        self.column, self.order = column, order
        self._relayout()

    def set_filter(self, text: str) -> None:
        self.needle = text.casefold()
        self._relayout()

    def _relayout(self) -> None:
        """Filter and sort again; the selection follows its rows."""
        self.layoutAboutToBeChanged.emit()
        kept = self.persistentIndexList()
        sources = [self._source(i.row()) for i in kept]
        self.view = sorted((i for i in range(len(self.rows)) if self._matches(i)), key=self._key)
        where = {self._source(row): row for row in range(len(self.view))}
        self.changePersistentIndexList(kept, [
            self.index(where[src], i.column()) if src in where else QModelIndex()
            for src, i in zip(sources, kept, strict=True)])
        self.layoutChanged.emit()

    def clear(self) -> None:
        self.beginResetModel()
        self.entries, self.rows, self.haystacks, self.view = [], [], [], []
        self.details = []
        self.endResetModel()

    def add(self, entries) -> None:
        import bisect

        from kernel_advisor.report.fleet import cells
        from kernel_advisor.textsafe import printable

        descending = self.order == Qt.SortOrder.DescendingOrder
        for e in entries:
            i = len(self.rows)
            self.entries.append(e)
            full = [printable(str(c), one_line=True) for c in cells(e)]
            self.rows.append([full[k] for k in self.shown_at])
            self.details.append("\n".join(
                f"{heading}: {full[k]}" for heading, k in zip(self.detail_headings,
                                                            self.detail_at, strict=True)
                if full[k] not in ("", "—")))
            self.haystacks.append("\t".join(self.rows[i] + [self.details[i]]).casefold())
            if not self._matches(i):
                continue
            at = bisect.bisect_left(self.view, self._key(i), key=self._key)
            row = len(self.view) - at if descending else at
            self.beginInsertRows(QModelIndex(), row, row)
            self.view.insert(at, i)
            self.endInsertRows()


def fit(wants: list[int], floors: list[int], room: int) -> list[int]:
    """Column widths that share ``room``: each column gets its heading (``floors``), then what
    is left is shared fairly (max-min), so a narrow column is never squeezed for a wide one
    and one long reason cannot push "Recommended" off the screen — a cell cut short is
    elided, with its whole text as the tooltip."""
    widths = [min(f, w) for f, w in zip(floors, wants, strict=True)]
    left = room - sum(widths)
    hungry = sorted((i for i, w in enumerate(wants) if w > widths[i]),
                    key=lambda i: wants[i] - widths[i])
    for k, i in enumerate(hungry):
        if left <= 0:
            break
        give = min(wants[i] - widths[i], left // (len(hungry) - k))
        widths[i] += give
        left -= give
    return widths


def fit_columns(table: QtWidgets.QTableView) -> None:
    """Every column on the screen: each as wide as its contents want (the rows in view),
    within a fair share of the table's width (:func:`fit`)."""
    header = table.horizontalHeader()
    count = table.model().columnCount()
    room = table.viewport().width() - 2
    heads = [header.sectionSizeFromContents(i).width() for i in range(count)]
    wants = [max(heads[i], table.sizeHintForColumn(i)) for i in range(count)]
    floors = [min(h, room // count) for h in heads]  # a long heading elides too
    for i, width in enumerate(fit(wants, floors, room)):
        header.resizeSection(i, width)


class SortKeys(QObject):
    """A keyboard path to sorting (a heading cannot take the focus): the column chosen in
    ``column`` and ``descending`` sort the table, and a heading clicked shows in both. Its
    words are the fleet page's (translated in that context)."""

    def __init__(self, table: QtWidgets.QTableView, headings: list[str]) -> None:
        super().__init__(table)
        from PySide6.QtCore import QCoreApplication

        self.table = table
        self.column = QtWidgets.QComboBox()
        self.column.addItems(headings)
        self.column.setAccessibleName(QCoreApplication.translate("FleetPage",
                                                                 "Sort the machines by"))
        self.column.setSizeAdjustPolicy(QtWidgets.QComboBox.SizeAdjustPolicy.AdjustToContents)
        label = QtWidgets.QLabel(QCoreApplication.translate("FleetPage", "&Sort by:"))
        label.setBuddy(self.column)
        self.descending = QtWidgets.QCheckBox(QCoreApplication.translate("FleetPage",
                                                                         "&Descending"))
        self.row = QtWidgets.QHBoxLayout()
        for widget in (label, self.column, self.descending):
            self.row.addWidget(widget)
        self.row.addStretch(1)
        self.column.activated.connect(self._sort)
        self.descending.toggled.connect(self._sort)
        table.horizontalHeader().sortIndicatorChanged.connect(self._show)

    def _sort(self, *_args) -> None:
        order = Qt.SortOrder.DescendingOrder if self.descending.isChecked() \
            else Qt.SortOrder.AscendingOrder
        self.table.sortByColumn(self.column.currentIndex(), order)

    def _show(self, column: int, order) -> None:
        for widget in (self.column, self.descending):
            widget.blockSignals(True)
        self.column.setCurrentIndex(column)
        self.descending.setChecked(order == Qt.SortOrder.DescendingOrder)
        for widget in (self.column, self.descending):
            widget.blockSignals(False)


def write_report(path: str, fmt: str, shown: list, answers, force: bool) -> str:
    """The fleet report of the entries ``shown`` (a worker's job): the rows as they are;
    JSON, which carries each machine's whole analysis, reads just those files once more."""
    from kernel_advisor import fleet, releases
    from kernel_advisor.atomic import write_output
    from kernel_advisor.report.fleet import RENDERERS

    entries = iter(shown)
    if fmt == "json":
        entries = fleet.analyse_files([e.file for e in shown], answers,
                                      releases.load(offline=True), documents=True)
    write_output(path, (c.encode("utf-8") for c in RENDERERS[fmt](entries, fleet.Summary())),
                 force)
    return path
