"""The hostile crawler: every form that a page of the access matrix shows a persona, submitted
with generated hostile values (test_crawler.py). The pieces: pages.py reads the forms out of a
page, values.py makes the hostile values, database.py tells whether a refusal changed a row."""
