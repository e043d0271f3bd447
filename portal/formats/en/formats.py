# The site's English is British, and so are its dates ("6 December 2026, 09:00",
# a week starting on Monday); Django's "en" formats are American ("Dec. 6, 2026,
# 9 a.m."). Input formats stay Django's, whose first is ISO (2026-12-06), which
# the admin's date fields show and nobody can misread.
DATE_FORMAT = "j F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y, H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
FIRST_DAY_OF_WEEK = 1  # Monday
