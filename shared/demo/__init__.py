"""`python -m shared.demo` (`make demo`): a book club from sale to close on the running services.

The core is `scenario.run_scenario(settings)`, also run by `tests/integration/test_demo.py`.
"""
