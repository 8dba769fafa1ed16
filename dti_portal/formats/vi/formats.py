# Dates as Vietnamese offices write them: 05/03/2024 (Django's own "vi" uses 05-03-2024).
# Everything else (separators "." and ",", "Tháng 3 năm 2024") is Django's "vi".
DATE_FORMAT = "d/m/Y"
SHORT_DATE_FORMAT = "d/m/Y"
DATETIME_FORMAT = "H:i d/m/Y"
SHORT_DATETIME_FORMAT = "H:i d/m/Y"
DATE_INPUT_FORMATS = ["%d/%m/%Y", "%d/%m/%y", "%Y-%m-%d"]
