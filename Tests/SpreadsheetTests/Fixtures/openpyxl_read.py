#!/usr/bin/env python3
"""Reads a workbook as openpyxl sees it and prints JSON: per sheet, the frozen pane and every
cell's value, openpyxl type and number format. Usage: openpyxl_read.py IN.xlsx"""
import datetime
import json
import sys

import openpyxl

wb = openpyxl.load_workbook(sys.argv[1])
out = {"sheets": []}
for ws in wb.worksheets:
    cells = []
    for row in ws.iter_rows():
        for c in row:
            if c.value is None:
                continue
            v = c.value
            if isinstance(v, (datetime.date, datetime.datetime)):
                v = v.isoformat()[:10]
            cells.append({"ref": c.coordinate, "value": v, "type": c.data_type, "format": c.number_format,
                          "bold": bool(c.font and c.font.b)})
    out["sheets"].append({"title": ws.title, "freeze": ws.freeze_panes, "cells": cells})
print(json.dumps(out))
