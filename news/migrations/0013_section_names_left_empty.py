"""A section's Belarusian and English names say what readers see when left empty."""

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('news', '0012_new_section_goes_last'),
    ]

    operations = [
        migrations.AlterField(
            model_name='category',
            name='name_be',
            field=models.CharField(blank=True, help_text='If left empty, Belarusian pages and feeds show the Russian name.', max_length=100, verbose_name='name (Belarusian)'),
        ),
        migrations.AlterField(
            model_name='category',
            name='name_en',
            field=models.CharField(blank=True, help_text='If left empty, English pages and feeds show the Russian name.', max_length=100, verbose_name='name (English)'),
        ),
    ]
