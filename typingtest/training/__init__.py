"""Practice that trains (issue 14): a learner model per trainee and drills made from it.

- ``learner``: per key and per bigram, errors per occurrence and typing time, shrunk towards
  the trainee's overall rates where data is thin, from every stored attempt.
- ``words``: the word lists shipped as data (``data/``, sources in ``data/SOURCES.md``).
- ``drills``: seeded exercises that over-sample the weakest keys and bigrams in real words,
  job material (customer numbers, phones, postcodes, e-mail addresses, amounts) and dictation.

No pygame here: the workstation's practice mode and the trainer views call these functions.
"""
