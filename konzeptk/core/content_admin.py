"""Django admin for content in six languages: modeltranslation's admin with ``lang``/``dir`` set.

The German field comes first, the five others beside it, each input marked with its language so
Arabic is typed right to left. Without JavaScript the languages stand one below the other.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from modeltranslation.admin import TranslationAdmin, TranslationStackedInline, TranslationTabularInline

from konzeptk.core.content import language_attrs

if TYPE_CHECKING:  # the admin classes are generic for the type checker only
    AdminBase = TranslationAdmin[Any]
    TabularBase = TranslationTabularInline[Any, Any]
    StackedBase = TranslationStackedInline[Any, Any]
else:
    AdminBase, TabularBase, StackedBase = TranslationAdmin, TranslationTabularInline, TranslationStackedInline


class _LanguageAttrs:
    def formfield_for_dbfield(self, db_field: Any, request: Any, **kwargs: Any) -> Any:
        field = super().formfield_for_dbfield(db_field, request, **kwargs)  # type: ignore[misc]
        code = getattr(db_field, "language", None)
        if field is not None and code:
            field.widget.attrs.update(language_attrs(code))
        return field


class ContentAdmin(_LanguageAttrs, AdminBase):
    """``ModelAdmin`` for a model with translated fields."""


class ContentTabularInline(_LanguageAttrs, TabularBase):
    """``TabularInline`` for a model with translated fields."""


class ContentStackedInline(_LanguageAttrs, StackedBase):
    """``StackedInline`` for a model with translated fields."""
