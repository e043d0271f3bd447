"""
imagekit's `generateimages`, which makes every cover's renditions again (after
restoring media from a backup), less those of covers out of sight: imagekit
reads a withheld cover as the admin does (news/withheld_images.py) and would
put its copies at their public addresses.
"""

from imagekit.exceptions import MissingSource
from imagekit.management.commands import generateimages
from imagekit.registry import cachefile_registry, generator_registry

from news.withheld_images import is_withheld


class Command(generateimages.Command):
    def handle(self, *args, **options):
        generator_ids = generator_registry.get_ids()
        if options["generator_id"]:
            patterns = self.compile_patterns(options["generator_id"])
            generator_ids = [id for id in generator_ids if any(p.match(id) for p in patterns)]
        withheld = set()
        for generator_id in generator_ids:
            self.stdout.write(f"Validating generator: {generator_id}\n")
            for image_file in cachefile_registry.get(generator_id):
                source = image_file.generator.source
                if is_withheld(source.name):
                    withheld.add(source.name)
                elif image_file.name:
                    self.stdout.write(f"  {image_file.name}\n")
                    try:
                        image_file.generate()
                    except MissingSource:
                        self.stdout.write("\t No source associated with\n")
                    except Exception as error:  # as imagekit's: the next image may do
                        self.stdout.write(f"\tFailed {error}\n")
        if withheld:
            self.stdout.write(
                f"Not copied: {len(withheld)} withheld image(s), which readers must not see.\n"
            )
