# The site's English is British, and so are its dates ("6 December 2026, 09:00",
# a week starting on Monday); Django's "en" formats are American ("Dec. 6, 2026,
# 9 a.m."). So are the dates staff type: Django's "en" reads 08/12/2026 as
# 12 August. The first input format is ISO (2026-12-06), which the admin's date
# fields and calendar write and nobody can misread; then the British day first,
# with slashes or, as in Russian and Belarusian, with dots.
DATE_FORMAT = "j F Y"
TIME_FORMAT = "H:i"
DATETIME_FORMAT = "j F Y, H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j F"
SHORT_DATE_FORMAT = "d/m/Y"
SHORT_DATETIME_FORMAT = "d/m/Y H:i"
FIRST_DAY_OF_WEEK = 1  # Monday

DATE_INPUT_FORMATS = [
    "%Y-%m-%d",  # 2026-12-08
    "%d/%m/%Y",  # 08/12/2026
    "%d/%m/%y",  # 08/12/26
    "%d.%m.%Y",  # 08.12.2026
    "%d.%m.%y",  # 08.12.26
    "%d %B %Y",  # 8 December 2026
    "%d %b %Y",  # 8 Dec 2026
]
DATETIME_INPUT_FORMATS = [
    f"{date} {time}" for date in DATE_INPUT_FORMATS for time in ("%H:%M:%S", "%H:%M:%S.%f", "%H:%M")
]
