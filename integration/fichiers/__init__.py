"""Spreadsheet files, whatever they hold: writing CSV and XLSX, reading them back into rows,
and keeping a checked upload between its preview and its confirmation.

Nothing here knows a domain: an app gives the headers, the rows and the limits, and keeps
the meaning of the columns to itself.
"""
