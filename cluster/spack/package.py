# Spack recipe for fanout: copy it into a Spack package repository as packages/fanout/package.py (see README.md, "Spack and Lmod").
from spack.package import *

try:  # Spack 1.0 and later keep the build systems in the builtin package repository
    from spack_repo.builtin.build_systems.cmake import CMakePackage
except ImportError:  # Spack 0.x exports CMakePackage from spack.package
    pass


class Fanout(CMakePackage):
    """Measures which concurrency model (serial, OpenMP threads, async I/O on curl multi, MPI
    processes and the hybrids) makes a workload fast, and runs it across ranks and nodes; scaling
    studies directly or through Slurm and PBS batch jobs.

    There is no public release to download yet: build from a checkout, e.g. inside it
    `spack dev-build fanout@0.1.0`, or `spack develop --path CHECKOUT fanout@0.1.0` in an
    environment. Tests (`spack install --test=root`) build GoogleTest's suite and run ctest.
    """

    version("0.1.0")

    variant("plots", default=True,
            description="gnuplot at run time, for the speedup and efficiency plots of scale and collect")
    variant("slurm", default=False,
            description="Slurm's clients at run time, for submit, status and collect "
                        "(usually the site's Slurm, as an external)")
    variant("static_boost", default=False,
            description="Link Boost.Program_options statically, so the binary runs where only "
                        "Boost's headers are")

    depends_on("cxx", type="build")
    depends_on("cmake@3.22:", type="build")
    depends_on("mpi")
    depends_on("curl")
    # Beast and Asio are header-only parts of Boost; Program_options is the one compiled library.
    depends_on("boost@1.74:+program_options")
    depends_on("boost+program_options~shared", when="+static_boost")
    depends_on("nlohmann-json@3:")
    depends_on("googletest", type="test")
    depends_on("python@3:", type="test")
    depends_on("gnuplot", type="run", when="+plots")
    depends_on("slurm", type="run", when="+slurm")

    conflicts("%gcc@:11", msg="fanout is C++20 and needs GCC 12 or later")

    def cmake_args(self):
        return [
            self.define("BUILD_TESTING", self.run_tests),
            self.define_from_variant("FANOUT_STATIC_BOOST", "static_boost"),
        ]

    def setup_run_environment(self, env):
        # The same variables as the Lmod modulefile that `make install` writes.
        env.set("FANOUT_ROOT", self.prefix)
        env.set("FANOUT_JOBS", join_path(self.prefix, "share", "fanout", "jobs"))
        env.set("FANOUT_TEMPLATES", join_path(self.prefix, "share", "fanout", "templates"))

    def test_version(self):
        """fanout --version names this version"""
        fanout = which(join_path(self.prefix.bin, "fanout"))
        out = fanout("--version", output=str.split, error=str.split)
        assert f"fanout {self.spec.version}" in out
