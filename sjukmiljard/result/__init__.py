"""The result workbook, one module per sheet kind (mirroring the readers' `*_sheet` modules)."""
