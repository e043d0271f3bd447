# Where Django's Russian formats differ from the rest of the site: the admin
# writes dates as the public pages do ("6 декабря 2026, 09:00", "Декабрь 2026",
# without "г."), and a day of a month in the genitive ("6 декабря": Django's
# "j F" made the admin's date drill-down say "6 Декабрь"). The rest is Django's.
DATE_FORMAT = "j E Y"
DATETIME_FORMAT = "j E Y, H:i"
YEAR_MONTH_FORMAT = "F Y"
MONTH_DAY_FORMAT = "j E"
