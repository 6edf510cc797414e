"""The insights engine: pure numpy/scipy/scikit-learn maths, no Django.

* :mod:`.votes` – votes as a participant × statement matrix.
* :mod:`.polis` – read a Polis ``votes.csv`` into that matrix (vectorised), write one.
* :mod:`.opinion` – projection (PCA with missing votes), opinion groups, representative statements,
  group-informed consensus and bridging scores.
* :mod:`.bridging` – bridging scores for anything supported by people in groups (statements, ideas,
  districts) and the share of support from outside an idea's own district.
* :mod:`.raking` – iterative proportional fitting of participant weights to population margins.
* :mod:`.disclosure` – the one disclosure control of every published count of people: the cell-key
  method (consistent perturbation by at most ±2, 1–4 never shown as itself).
* :mod:`.representation` – representation ratios with confidence intervals from published counts,
  dissimilarity index.
* :mod:`.synthetic` – simulated planted-group vote data for tests and the benchmark.

Importing Django anywhere below this package is forbidden (a test checks it), so the engine runs in
a plain Python process, in a worker or in a notebook.
"""
