"""Meedoen takes no files: no model or form has a file field (tests/fuzz/test_uploads.py keeps it so)."""

from django.core.files.uploadhandler import FileUploadHandler, SkipFile


class RefuseFiles(FileUploadHandler):
    """A file sent anyway is read past in small chunks and kept nowhere, neither in memory nor on disk, so it can
    never be served back (as HTML or otherwise); the other fields of the form arrive as usual."""

    chunk_size = 64 * 2**10

    def new_file(self, *args, **kwargs):
        raise SkipFile

    def receive_data_chunk(self, raw_data, start):
        return None

    def file_complete(self, file_size):
        return None
