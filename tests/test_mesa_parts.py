"""sim/world/mesa_parts.py: a run imports only the parts of Mesa it uses, and Mesa stays whole."""

import subprocess
import sys

UNUSED = ("mesa.experimental", "mesa.batchrunner", "mesa.space", "scipy.spatial", "tqdm")


def _python(code: str) -> str:
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return done.stdout.strip()


def test_a_run_leaves_out_the_rest_of_mesa_and_mesa_stays_whole_after():
    out = _python(
        "import sys\n"
        "from sim.world.model import CartelModel\n"
        "CartelModel(seed=1, record='none', burn_in_days=5, horizon_days=5).run()\n"
        f"print(sorted(m for m in {UNUSED!r} if m in sys.modules))\n"
        "import mesa\n"
        "print(issubclass(CartelModel, mesa.Model), callable(mesa.batch_run), 'mesa.experimental' in sys.modules)\n"
    )
    assert out.splitlines() == ["[]", "True True True"]


def test_mesa_imported_first_is_the_one_the_model_uses():
    out = _python(
        "import mesa\n"
        "from sim.world.model import CartelModel\n"
        "from mesa.discrete_space import Network\n"
        "m = CartelModel(seed=1, record='none', burn_in_days=5, horizon_days=5)\n"
        "print(isinstance(m, mesa.Model), isinstance(m.space, Network))\n"
    )
    assert out == "True True"
