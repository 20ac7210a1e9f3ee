"""Count every word of the index exactly, and drop the words no entry holds any more.

Until now the word list only grew: the words of deleted, purged and edited items stayed,
and search-as-you-type offered them to everyone. From here on the index keeps the counts
exact and drops a word with its last entry (kb.search.index), which needs exact counts to
start from. The words are counted here from the entries' texts, as the index did on this
day (letters and digits, 3 to 40 of them, lower-cased).
"""

import re
from collections import Counter

from django.db import migrations

WORD = re.compile(r"[^\W_]{3,40}")


def recount(apps, schema_editor):
    IndexEntry = apps.get_model("search", "IndexEntry")
    SearchWord = apps.get_model("search", "SearchWord")
    counts: Counter = Counter()
    texts = IndexEntry.objects.values_list("title", "keywords", "summary", "body")
    for title, keywords, summary, body in texts.iterator(chunk_size=2000):
        counts.update(set(WORD.findall(" ".join((title, keywords, summary, body)).lower())))
    every = SearchWord.objects.all()
    every._raw_delete(every.db)  # nothing refers to words: no cascade to collect
    SearchWord.objects.bulk_create(
        [SearchWord(word=word, doc_count=n) for word, n in counts.items()], batch_size=5000
    )


class Migration(migrations.Migration):
    dependencies = [("search", "0003_postgres_vector_table")]

    operations = [migrations.RunPython(recount, migrations.RunPython.noop)]
