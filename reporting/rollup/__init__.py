"""The province roll-up: ``rules`` (pure: how agencies' values and quarters make a
figure, and its verdict) and ``services`` (compiling a period's figures from the
approved reports into ``ProvinceFigure``, requested on commit and run by a task)."""
