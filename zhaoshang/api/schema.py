"""OpenAPI schema details: Chinese descriptions and tags, bulk bodies as lists."""

from drf_spectacular.openapi import AutoSchema

BULK = ("bulk", "bulk_create", "bulk_update")


class ScopedAutoSchema(AutoSchema):
    def get_tags(self):
        model = getattr(self.view, "model", None)
        if model is not None:
            return [str(model._meta.verbose_name_plural)]
        return super().get_tags()

    def get_description(self):
        own = super().get_description()
        general = str(getattr(self.view, "description", "") or "")
        return "\n\n".join(part for part in (general, own) if part)

    def get_request_serializer(self):
        if getattr(self.view, "action", None) in BULK:
            return self.view.serializer_class(many=True)
        return super().get_request_serializer()

    def get_response_serializers(self):
        if getattr(self.view, "action", None) in BULK:
            return self.view.serializer_class(many=True)
        return super().get_response_serializers()
