"""Generated annex layouts with a known truth (issue 9): `python -m facsimile.layouts`.

options.py draws the layout choices from a seed; model.py decides every printed cell;
html_render.py (Chromium, WeasyPrint), rl_render.py (reportlab) and office_render.py
(LibreOffice Writer and Calc) print it; post.py applies colour spaces, fill geometry,
rotation and media boxes with pypdf; truth.py writes the truth JSON.
"""
