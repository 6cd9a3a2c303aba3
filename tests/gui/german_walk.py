"""Run by tests/gui/test_german.py in a fresh process whose environment says German: start the
wizard as the app does (translators installed), walk every page of the analysis path, and print
each page's visible texts as JSON."""

import json
import sys

from PySide6.QtTest import QTest
from PySide6.QtWidgets import QAbstractButton, QApplication, QLabel, QTreeWidget, QWizard

from kernel_advisor.gui import i18n
from kernel_advisor.gui.wizard import AdvisorWizard, Inputs, PageId

app = QApplication(sys.argv[:1])
i18n.install(app)
w = AdvisorWizard(Inputs(snapshot=sys.argv[1], kernel=sys.argv[2], arch=sys.argv[3]))
w.show()
pages = []
for _ in range(10):
    page = w.currentPage()
    for _ in range(400):
        QTest.qWait(25)
        if page.isComplete():
            break
    texts = [page.title(), page.subTitle()]
    texts += [lab.text() for lab in page.findChildren(QLabel) if lab.isVisibleTo(w)]
    texts += [b.text() for b in page.findChildren(QAbstractButton) if b.isVisibleTo(w)]
    for tree in page.findChildren(QTreeWidget):
        texts += [tree.headerItem().text(c) for c in range(tree.columnCount())]
        texts += [tree.topLevelItem(r).text(c) for r in range(tree.topLevelItemCount())
                  for c in range(tree.columnCount())]
    buttons = [w.button(b).text() for b in (QWizard.WizardButton.BackButton,
                                            QWizard.WizardButton.NextButton,
                                            QWizard.WizardButton.CancelButton,
                                            QWizard.WizardButton.FinishButton,
                                            QWizard.WizardButton.CustomButton1)  # About
               if w.button(b).isVisible()]
    shown = [b.text() for b in page.findChildren(QAbstractButton) if b.isVisibleTo(w)]
    shown += [lab.text() for lab in page.findChildren(QLabel) if lab.isVisibleTo(w) and lab.buddy()]
    keys = [t.replace("&&", "")[t.replace("&&", "").index("&") + 1].lower()
            for t in shown + buttons if "&" in t.replace("&&", "")]
    pages.append({"page": PageId(w.currentId()).name, "texts": [t for t in texts if t],
                  "buttons": buttons, "mnemonics": keys})
    if w.currentId() == PageId.REPORT:
        break
    before = w.currentId()
    w.next()  # page 1 goes on once the snapshot has been read
    for _ in range(400):
        if w.currentId() != before:
            break
        QTest.qWait(25)
print(json.dumps(pages, ensure_ascii=False))
w.close()
