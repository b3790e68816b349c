"""The Textual app: a view over the engine; the only package that imports textual."""
