#!/usr/bin/env python3
"""Render the hicolor PNG icons (48, 128, 256 px) from the scalable one
(kernel_advisor/data/desktop/icons/hicolor/scalable/apps/APP_ID.svg, the only source: the wheel
holds each icon once) with Qt's SVG renderer."""
import os
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
from kernel_advisor import APP_ID  # noqa: E402

app = QGuiApplication([])
base = os.path.join(ROOT, "kernel_advisor", "data", "desktop", "icons", "hicolor")
renderer = QSvgRenderer(os.path.join(base, "scalable", "apps", f"{APP_ID}.svg"))
for size in (48, 128, 256):
    image = QImage(size, size, QImage.Format.Format_ARGB32)
    image.fill(Qt.GlobalColor.transparent)
    painter = QPainter(image)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    renderer.render(painter)
    painter.end()
    out = os.path.join(base, f"{size}x{size}", "apps")
    os.makedirs(out, exist_ok=True)
    image.save(os.path.join(out, f"{APP_ID}.png"))
    print("wrote", os.path.join(out, f"{APP_ID}.png"))
