from django.db import models

from core.codes import CodeChoices, code_set


class CodeField(models.CharField):
    """A column holding a code from one DfE reference code set.

    Choices and validation come from the CSV file, so a migration records only the
    set's name, never the list itself.
    """

    def __init__(self, *args, code_set_name: str, **kwargs):
        self.code_set_name = code_set_name
        kwargs["choices"] = CodeChoices(code_set_name)
        kwargs.setdefault("max_length", max(len(c) for c in code_set(code_set_name)))
        super().__init__(*args, **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        kwargs.pop("choices", None)
        kwargs["code_set_name"] = self.code_set_name
        return name, path, args, kwargs
