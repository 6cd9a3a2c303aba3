#!/usr/bin/env python3
"""Render the hicolor PNG icons (48, 128, 256 px) from kernel_advisor/data/icon.svg with Qt's SVG
renderer."""
import os
import shutil
import sys

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")
from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, ROOT)
from kernel_advisor import APP_ID  # noqa: E402

app = QGuiApplication([])
svg = os.path.join(ROOT, "kernel_advisor", "data", "icon.svg")
renderer = QSvgRenderer(svg)
base = os.path.join(ROOT, "resources", "icons", "hicolor")
os.makedirs(os.path.join(base, "scalable", "apps"), exist_ok=True)
shutil.copy(svg, os.path.join(base, "scalable", "apps", f"{APP_ID}.svg"))
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
    if size == 128:  # the window icon the app ships inside its package
        image.save(os.path.join(ROOT, "kernel_advisor", "data", "icon-128.png"))
    print("wrote", os.path.join(out, f"{APP_ID}.png"))
