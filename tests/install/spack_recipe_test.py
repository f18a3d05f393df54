#!/usr/bin/env python3
"""Checks the Spack recipe without Spack: it compiles, imports against a stub of spack.package, and
says what the build says (version, the CMake options it sets, the dependencies, the run environment
of the Lmod modulefile). Spack itself cannot be installed here; `spack install` is not tried.

usage: spack_recipe_test.py PACKAGE_PY PROJECT_VERSION
"""
import importlib.util
import os
import py_compile
import re
import sys
import tempfile
import types

RECIPE, PROJECT_VERSION = sys.argv[1], sys.argv[2]
SOURCE = os.path.abspath(os.path.join(os.path.dirname(RECIPE), "..", ".."))
DIRECTIVES = []


def fail(msg):
    print("FAIL:", msg)
    sys.exit(1)


def directive(name):
    def record(*args, **kwargs):
        DIRECTIVES.append((name, args, kwargs))
    return record


class FakeVariant:
    def __init__(self, value):
        self.value = value


class FakeSpec:
    def __init__(self, variants, version):
        self.variants = {k: FakeVariant(v) for k, v in variants.items()}
        self.version = version


class CMakePackage:
    """The parts of Spack's CMakePackage the recipe uses, with Spack's formatting of -D flags."""
    run_tests = False
    spec = None
    prefix = "/opt/spack/fanout"

    @staticmethod
    def define(var, value):
        if isinstance(value, bool):
            return f"-D{var}:BOOL={'ON' if value else 'OFF'}"
        return f"-D{var}:STRING={value}"

    def define_from_variant(self, var, variant):
        return self.define(var, self.spec.variants[variant].value)


class FakeEnv:
    def __init__(self):
        self.values = {}

    def set(self, name, value):
        self.values[name] = str(value)


stub = types.ModuleType("spack.package")
stub.CMakePackage = CMakePackage
stub.join_path = os.path.join
stub.which = lambda *a, **k: None
for name in ("version", "variant", "depends_on", "conflicts", "requires", "license",
             "maintainers", "patch", "provides", "extends", "resource"):
    setattr(stub, name, directive(name))
sys.modules["spack"] = types.ModuleType("spack")
sys.modules["spack.package"] = stub

# Byte code goes to a temporary folder, never next to the recipe.
sys.dont_write_bytecode = True
with tempfile.TemporaryDirectory() as tmp:
    py_compile.compile(RECIPE, doraise=True, cfile=os.path.join(tmp, "package.pyc"))


def load_recipe():
    DIRECTIVES.clear()
    spec = importlib.util.spec_from_file_location("fanout_recipe", RECIPE)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    pkg_class = getattr(module, "Fanout", None)
    if pkg_class is None or not issubclass(pkg_class, CMakePackage) or not pkg_class.__doc__:
        fail("the recipe has no documented class Fanout(CMakePackage)")
    return pkg_class


# Spack 0.x: CMakePackage from spack.package. Spack 1.0: from the builtin repository's module.
load_recipe()
stub.CMakePackage = None
for name in ("spack_repo", "spack_repo.builtin", "spack_repo.builtin.build_systems"):
    sys.modules[name] = types.ModuleType(name)
sys.modules["spack_repo.builtin.build_systems.cmake"] = types.ModuleType("cmake")
sys.modules["spack_repo.builtin.build_systems.cmake"].CMakePackage = CMakePackage
pkg_class = load_recipe()

versions = [args[0] for name, args, _ in DIRECTIVES if name == "version"]
if PROJECT_VERSION not in versions:
    fail(f"the recipe's versions {versions} lack the project's {PROJECT_VERSION} (CMakeLists.txt)")

variants = {args[0]: kwargs.get("default") for name, args, kwargs in DIRECTIVES if name == "variant"}
if variants != {"plots": True, "slurm": False, "static_boost": False}:
    fail(f"variants {variants}")

deps = [(args[0], kwargs.get("type"), kwargs.get("when")) for name, args, kwargs in DIRECTIVES
        if name == "depends_on"]
cmake_min = re.search(r"cmake_minimum_required\(VERSION ([0-9.]+)\)",
                      open(os.path.join(SOURCE, "CMakeLists.txt")).read()).group(1)
for want in [("mpi", None, None), ("curl", None, None), ("boost@1.74:+program_options", None, None),
             ("nlohmann-json@3:", None, None), ("googletest", "test", None),
             (f"cmake@{cmake_min}:", "build", None), ("gnuplot", "run", "+plots"),
             ("slurm", "run", "+slurm")]:
    if want not in deps:
        fail(f"no depends_on{want}; the recipe has {deps}")

# Every -D the recipe passes is an option the build declares.
options = set(re.findall(r"^option\((\w+)", open(os.path.join(SOURCE, "CMakeLists.txt")).read(),
                         re.M))
for run_tests, static in ((False, False), (True, True)):
    pkg = pkg_class()
    pkg.run_tests = run_tests
    pkg.spec = FakeSpec({"plots": True, "slurm": False, "static_boost": static}, PROJECT_VERSION)
    args = pkg.cmake_args()
    want = {f"-DBUILD_TESTING:BOOL={'ON' if run_tests else 'OFF'}",
            f"-DFANOUT_STATIC_BOOST:BOOL={'ON' if static else 'OFF'}"}
    if set(args) != want:
        fail(f"cmake_args with run_tests={run_tests}, static_boost={static}: {args}, expected {want}")
    unknown = {a.split(":")[0][2:] for a in args} - options
    if unknown:
        fail(f"cmake_args sets {unknown}, which CMakeLists.txt does not declare with option()")

# Spack's own modules set what the Lmod modulefile of `make install` sets.
env = FakeEnv()
pkg_class().setup_run_environment(env)
lua = open(os.path.join(SOURCE, "cluster", "lmod", "fanout.lua.in")).read()
lua_vars = set(re.findall(r'setenv\("(\w+)"', lua))
if set(env.values) != lua_vars or env.values["FANOUT_ROOT"] != CMakePackage.prefix:
    fail(f"setup_run_environment sets {env.values}; the modulefile sets {sorted(lua_vars)}")

print(f"spack recipe: compiles and imports; version {PROJECT_VERSION}, variants {sorted(variants)}, "
      f"{len(deps)} dependencies, cmake_args {sorted(want)}")
