"""Grading's writers: one module per thing a grading writes.

dojo/grade.py is the pytest side (who is graded, which tests ran, what they
said); it hands each student's merged record to these modules:

- record.py      the record of a student's tests (``record.json``), merged over regradings; provenance
- scores.py      each test's worth, in quarter points, so that any sum is exact
- text.py        cutting, cell-safe and XML-safe text, grader paths taken out of what students see
- gradescope.py  Gradescope's ``results.json`` (written as ``gradescope.json``)
- exercism.py    Exercism's test-runner ``results.json``, version 3
- classroom.py   GitHub Classroom's grading reporter input (``classroom.json``), small enough for it
- junit.py       JUnit XML, per student and for the whole class
- summary.py     ``summary.md``, for a person
- gradebook.py   ``grades.csv``, for Canvas, Moodle and spreadsheets
- classpage.py   ``class.html`` and ``class.md``: the class at a glance
- command.py     ``python -m dojo grade | grade-class | student-copy``
"""
