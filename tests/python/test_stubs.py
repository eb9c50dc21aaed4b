"""The checked-in stubs (qualify/__init__.pyi) describe the module: the same public names,
the same members of each class, the same parameters; and every public name has a docstring."""

import ast
import inspect
import re
from pathlib import Path

import qualify

STUB = Path(qualify.__file__).with_name("__init__.pyi")


def stub_tree():
    return ast.parse(STUB.read_text(encoding="utf-8"))


def public(names):
    return {n for n in names if not n.startswith("_") or n in ("__version__",)}


def stub_names():
    names = set()
    for node in stub_tree().body:
        if isinstance(node, (ast.ClassDef, ast.FunctionDef)):
            names.add(node.name)
        elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
            names.add(node.target.id)
        elif isinstance(node, ast.Assign):
            names.update(t.id for t in node.targets if isinstance(t, ast.Name))
    return public(names)


def stub_classes():
    return {node.name: node for node in stub_tree().body if isinstance(node, ast.ClassDef)}


def stub_functions():
    return {node.name: node for node in stub_tree().body if isinstance(node, ast.FunctionDef)}


def parameters_of_stub(fn):
    a = fn.args
    names = [x.arg for x in a.posonlyargs + a.args + a.kwonlyargs]
    return [n for n in names if n != "self"]


def parameters_of(obj, method=False):
    """Parameter names of a Python function (without the first, for a method), or of a
    pybind11 one from its signature line."""
    try:
        names = list(inspect.signature(obj).parameters)
        return names[1:] if method else names
    except (TypeError, ValueError):
        first = obj.__doc__.splitlines()[0]
        inside = first[first.index("(") + 1:first.rindex(")")]
        names = [m.group(1) for m in re.finditer(r"(?:^|, )(\*|\w+)(?=:|,|$| =)", inside)]
        return [n for n in names if n not in ("self", "*")]


def test_public_names_match_the_stubs():
    assert public(qualify.__all__) == stub_names()
    assert public(n for n in dir(qualify) if not inspect.ismodule(getattr(qualify, n))) == stub_names()


def test_class_members_match_the_stubs():
    for name, node in stub_classes().items():
        cls = getattr(qualify, name)
        stubbed = {n.name for n in node.body if isinstance(n, ast.FunctionDef)}
        stubbed |= {n.target.id for n in node.body if isinstance(n, ast.AnnAssign)}
        if issubclass(cls, BaseException):  # the base declares the parts; subclasses add none
            assert stubbed == ({"code", "file", "pointer", "reason"} if cls is qualify.Error else set()), name
            continue
        actual = {n for n in vars(cls) if not n.startswith("_")} | ({"_repr_html_"} & set(vars(cls)))
        assert actual == stubbed, name


def test_parameters_match_the_stubs():
    for name, node in stub_classes().items():
        cls = getattr(qualify, name)
        for fn in node.body:
            if isinstance(fn, ast.FunctionDef) and not any(
                    isinstance(d, ast.Name) and d.id == "property" for d in fn.decorator_list):
                method = not any(isinstance(d, ast.Name) and d.id == "staticmethod" for d in fn.decorator_list)
                assert parameters_of(getattr(cls, fn.name), method) == parameters_of_stub(fn), f"{name}.{fn.name}"
    for name, fn in stub_functions().items():
        assert parameters_of(getattr(qualify, name)) == parameters_of_stub(fn), name


def test_every_public_name_has_a_docstring():
    for name in stub_names() - {"__version__"}:
        obj = getattr(qualify, name)
        assert (obj.__doc__ or "").strip(), name
        if inspect.isclass(obj) and not issubclass(obj, BaseException):
            for member in vars(obj):
                if not member.startswith("_"):
                    doc = getattr(obj, member).__doc__
                    assert doc and doc.strip(), f"{name}.{member}"
