#!/usr/bin/env python3
"""Writes the workbook the Spreadsheet tests read: what a Dinas register looks like when made
with openpyxl (shared strings, a rich-text cell, numbers, dates, booleans, a formula, gaps).
Usage: openpyxl_write.py OUT.xlsx"""
import datetime
import sys

import openpyxl
from openpyxl.cell.rich_text import CellRichText, TextBlock
from openpyxl.cell.text import InlineFont

wb = openpyxl.Workbook()
ws = wb.active
ws.title = "Data PSKS"
ws.append(["nama", "nik", "tanggal_lahir", "no_hp", "jumlah", "aktif", "catatan"])
ws.append(["Siti Aminah", "3274015705900001", datetime.date(1990, 5, 17), 85224561234, 3, True, "Desa <Sukamaju> & \"RW 02\""])
ws.append(["Budi Santoso", "3274011203850002", datetime.datetime(1985, 3, 12, 8, 30), "0812-3456-7890", 2.5, False, None])
ws["G3"] = CellRichText([TextBlock(InlineFont(b=True), "tebal"), " biasa"])
# A gap: row 4 is empty, row 5 has a value only in column C, a formula in E5.
ws["C5"] = datetime.date(2001, 5, 21)
ws["C5"].number_format = "DD/MM/YYYY"
ws["E5"] = "=E2+E3"
ws["A6"] = "  spasi di tepi  "
ws["B6"] = "Ñandú – ümlaut 日本"
second = wb.create_sheet("Keterangan")
second.append(["kolom", "arti"])
second.append(["nik", "16 angka"])
wb.save(sys.argv[1])
