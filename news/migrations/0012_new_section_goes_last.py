"""
A new section is placed after the last one, not at 0 (before all the others);
sections already there keep their positions.
"""

import news.models
from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('news', '0011_author_is_chosen_by_the_form'),
    ]

    operations = [
        migrations.AlterField(
            model_name='category',
            name='position',
            field=models.PositiveSmallIntegerField(default=news.models.next_category_position, help_text='Sections are listed in ascending order.', verbose_name='position'),
        ),
    ]
