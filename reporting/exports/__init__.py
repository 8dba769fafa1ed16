"""The ministry's Excel report: ``report`` builds what it holds, ``workbook`` writes
it (and lends its sheet style to other workbooks), ``services`` runs a large one as a
background job."""
