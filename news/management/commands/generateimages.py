"""
imagekit's `generateimages`, which makes every cover's renditions again (after
restoring media from a backup), followed by taking those of the items withdrawn
as published in error back out of sight: imagekit reads a withheld cover as the
admin does (news/withheld_images.py) and would put its copies at their addresses.
"""

from imagekit.management.commands import generateimages

from news.withheld_images import withhold_again


class Command(generateimages.Command):
    def handle(self, *args, **options):
        try:
            super().handle(*args, **options)
        finally:  # also when stopped halfway: what it made so far is withheld
            count = withhold_again()
        if count:
            self.stdout.write(
                f"Withheld again: the images of {count} item(s) withdrawn as published in error.\n"
            )
