"""docs/example.ipynb runs as committed, so the example cannot rot while the API changes."""

import sys
from pathlib import Path

import nbformat
from nbclient import NotebookClient

NOTEBOOK = Path(__file__).resolve().parents[1] / "docs" / "example.ipynb"


def test_the_example_notebook_is_committed_without_outputs():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    code = [cell for cell in nb.cells if cell.cell_type == "code"]
    assert code and all(not cell.outputs and cell.execution_count is None for cell in code)


def test_the_example_notebook_runs_every_cell_on_this_environment_s_kernel():
    nb = nbformat.read(NOTEBOOK, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell("import sys\nprint(sys.prefix)"))  # which environment ran it
    client = NotebookClient(
        nb, kernel_name="python3", timeout=600, resources={"metadata": {"path": str(NOTEBOOK.parent)}}
    )
    client.execute()  # a cell that raises stops here with CellExecutionError, naming the cell
    assert nb.cells[-1].outputs[0]["text"].strip() == sys.prefix
