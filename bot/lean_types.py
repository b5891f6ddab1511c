"""aiogram builds the validators of all its ~440 types when `aiogram.types` is imported: 125 MiB
and most of the start-up, for a bot that uses a few dozen of them. Here that import skips the
builds, and pydantic builds each type the first time it is used (its usual path for a model
whose build was deferred; aiogram's types ask for deferral). The same classes, validated the
same way.

aiogram's modules import the types their annotations name only for type checkers, and its
import passed them all to each build; so each module is given the names its classes'
annotations use, which is where pydantic looks when it builds a type later.

`defer_aiogram_builds()` must run before aiogram is first imported: bot/__init__.py calls it.
"""

from __future__ import annotations

import re
import sys
from types import ModuleType
from typing import Any

AIOGRAM_TYPES = "aiogram.types"
_NAME = re.compile(r"[A-Za-z_]\w*")


def defer_aiogram_builds() -> None:
    if AIOGRAM_TYPES in sys.modules:
        return
    from pydantic import BaseModel

    original = BaseModel.__dict__["model_rebuild"]
    namespace: dict[str, Any] = {}

    def skip(cls: type[BaseModel], *args: Any, _types_namespace: Any = None,
             **kwargs: Any) -> bool | None:
        if _types_namespace is None or args or kwargs:
            return original.__func__(cls, *args,  # type: ignore[no-any-return]
                                     _types_namespace=_types_namespace, **kwargs)
        namespace.update(_types_namespace)
        return None

    BaseModel.model_rebuild = classmethod(skip)  # type: ignore[assignment,method-assign,arg-type]
    try:
        __import__(AIOGRAM_TYPES)
    finally:
        BaseModel.model_rebuild = original  # type: ignore[method-assign]
    for name, module in list(sys.modules.items()):
        if name.startswith("aiogram.") and module is not None:
            _give_names(module, namespace)


def _give_names(module: ModuleType, namespace: dict[str, Any]) -> None:
    own = vars(module)
    for value in list(own.values()):
        if not isinstance(value, type) or value.__module__ != module.__name__:
            continue
        for cls in value.__mro__:
            annotations = vars(cls).get("__annotations__")
            if not isinstance(annotations, dict):
                continue
            for annotation in annotations.values():
                if not isinstance(annotation, str):
                    continue
                for word in _NAME.findall(annotation):
                    if word not in own and word in namespace:
                        own[word] = namespace[word]
