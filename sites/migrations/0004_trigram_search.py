from django.db import migrations

from heritage.migration_operations import trigram_indexes


class Migration(migrations.Migration):
    dependencies = [("sites", "0003_unesco_description")]

    operations = trigram_indexes(
        ("sites_heritagesite", "name"),
        ("sites_monument", "name"),
        ("sites_alternativename", "name"),
    )
