#!/usr/bin/python3
"""client_test.py — a Python gRPC client against a live nuage-server.

Proves that stubs generated from our .proto files by the stock Python plugin
(//api:py_gen) talk to the C-core server: health, server reflection (v1alpha
and v1) and SystemService. Run through tests/support/with_server.sh, which
exports NUAGE_ADDR; needs Debian's grpcio, so /usr/bin/python3.

The generated tree has a top-level `grpc/` directory (grpc/health/v1/...,
grpc/reflection/...) that would shadow the grpc library if it came first on
sys.path. So the library is imported first, and the generated `grpc/`
directory is then added to the library package's __path__: `import grpc`
stays the library, `grpc.health.v1.health_pb2` is the generated module (the
library has no `health` or `reflection` subpackage to collide with).
"""
import os
import sys
import unittest

import grpc  # the library; must precede any change to sys.path

from google.protobuf import descriptor_pb2
from google.protobuf import descriptor_pool


def _api_dir():
    """The directory holding //api:py_gen's outputs."""
    candidates = [os.environ.get("NUAGE_PY_API_DIR", "")]
    srcdir = os.environ.get("TEST_SRCDIR")
    if srcdir:
        candidates.append(os.path.join(srcdir, os.environ.get("TEST_WORKSPACE", "nuage"), "api"))
    candidates.append(os.path.join(os.getcwd(), "api"))  # the runfiles root
    here = os.path.dirname(os.path.abspath(__file__))
    candidates.append(os.path.join(here, "..", "..", "api"))
    for d in candidates:
        if d and os.path.isfile(os.path.join(d, "nuage", "v1", "system_pb2.py")):
            return os.path.abspath(d)
    sys.exit("client_test.py: generated Python stubs not found (tried %s); "
             "set NUAGE_PY_API_DIR" % ", ".join(c for c in candidates if c))


API_DIR = _api_dir()
if os.path.dirname(os.path.realpath(grpc.__file__)).startswith(os.path.realpath(API_DIR)):
    sys.exit("client_test.py: `import grpc` found the generated tree, not the library")
sys.path.append(API_DIR)
grpc.__path__.append(os.path.join(API_DIR, "grpc"))

# pylint: disable=wrong-import-position
from grpc.health.v1 import health_pb2, health_pb2_grpc
from grpc.reflection.v1 import reflection_pb2 as reflection_v1_pb2
from grpc.reflection.v1 import reflection_pb2_grpc as reflection_v1_pb2_grpc
from grpc.reflection.v1alpha import reflection_pb2 as reflection_v1alpha_pb2
from grpc.reflection.v1alpha import reflection_pb2_grpc as reflection_v1alpha_pb2_grpc
from nuage.v1 import system_pb2, system_pb2_grpc

TIMEOUT_S = 10
SERVICES = {"grpc.health.v1.Health", "nuage.v1.SystemService",
            "grpc.reflection.v1alpha.ServerReflection", "grpc.reflection.v1.ServerReflection"}


class ClientTest(unittest.TestCase):
    @classmethod
    def setUpClass(cls):
        addr = os.environ.get("NUAGE_ADDR")
        if not addr:
            # Fail rather than skip: a skipped run would look like a pass.
            raise RuntimeError("NUAGE_ADDR is not set: run through tests/support/with_server.sh")
        cls.channel = grpc.insecure_channel(addr)
        grpc.channel_ready_future(cls.channel).result(timeout=TIMEOUT_S)

    @classmethod
    def tearDownClass(cls):
        cls.channel.close()

    def test_library_is_not_shadowed(self):
        self.assertTrue(hasattr(grpc, "insecure_channel"))
        self.assertTrue(health_pb2.__file__.startswith(API_DIR), health_pb2.__file__)

    def test_health_check_serving(self):
        stub = health_pb2_grpc.HealthStub(self.channel)
        resp = stub.Check(health_pb2.HealthCheckRequest(), timeout=TIMEOUT_S)
        self.assertEqual(resp.status, health_pb2.HealthCheckResponse.SERVING)

    def test_health_check_unknown_service_is_not_found(self):
        # grpc/health/v1/health.proto: "If the requested service is unknown,
        # the call will fail with status NOT_FOUND."
        stub = health_pb2_grpc.HealthStub(self.channel)
        with self.assertRaises(grpc.RpcError) as ctx:
            stub.Check(health_pb2.HealthCheckRequest(service="no.such.Service"), timeout=TIMEOUT_S)
        self.assertEqual(ctx.exception.code(), grpc.StatusCode.NOT_FOUND)

    def _reflect(self, pb2, pb2_grpc, **request):
        """One request on a ServerReflectionInfo stream; returns the response."""
        stub = pb2_grpc.ServerReflectionStub(self.channel)
        req = pb2.ServerReflectionRequest(host="", **request)
        responses = list(stub.ServerReflectionInfo(iter([req]), timeout=TIMEOUT_S))
        self.assertEqual(len(responses), 1)
        self.assertEqual(responses[0].original_request, req)
        return responses[0]

    def test_reflection_v1alpha_lists_services(self):
        resp = self._reflect(reflection_v1alpha_pb2, reflection_v1alpha_pb2_grpc, list_services="")
        names = {s.name for s in resp.list_services_response.service}
        self.assertIn("grpc.health.v1.Health", names)
        self.assertIn("nuage.v1.SystemService", names)
        self.assertLessEqual(SERVICES, names)

    def test_reflection_v1_lists_services(self):
        resp = self._reflect(reflection_v1_pb2, reflection_v1_pb2_grpc, list_services="")
        names = {s.name for s in resp.list_services_response.service}
        self.assertLessEqual(SERVICES, names)

    def test_reflection_file_containing_symbol(self):
        resp = self._reflect(reflection_v1alpha_pb2, reflection_v1alpha_pb2_grpc,
                             file_containing_symbol="nuage.v1.SystemService")
        files = resp.file_descriptor_response.file_descriptor_proto
        self.assertGreaterEqual(len(files), 1, resp)
        first = descriptor_pb2.FileDescriptorProto.FromString(files[0])
        self.assertEqual(first.name, "nuage/v1/system.proto")
        # The answer carries every import: a fresh pool can build the service.
        pool = descriptor_pool.DescriptorPool()
        protos = {f.name: f for f in map(descriptor_pb2.FileDescriptorProto.FromString, files)}
        self.assertIn("google/protobuf/timestamp.proto", protos)
        # Dependencies first: the access option (access.proto) needs
        # descriptor.proto and common.proto.
        for name in ("google/protobuf/timestamp.proto", "google/protobuf/descriptor.proto",
                     "nuage/v1/common.proto", "nuage/v1/access.proto", "nuage/v1/system.proto"):
            pool.Add(protos[name])
        service = pool.FindServiceByName("nuage.v1.SystemService")
        self.assertIn("GetServerInfo", service.methods_by_name)

    def test_reflection_v1_unknown_symbol_is_not_found(self):
        resp = self._reflect(reflection_v1_pb2, reflection_v1_pb2_grpc,
                             file_containing_symbol="no.such.Symbol")
        self.assertEqual(resp.WhichOneof("message_response"), "error_response")
        self.assertEqual(resp.error_response.error_code, grpc.StatusCode.NOT_FOUND.value[0])

    def test_get_server_info(self):
        stub = system_pb2_grpc.SystemServiceStub(self.channel)
        info = stub.GetServerInfo(system_pb2.GetServerInfoRequest(), timeout=TIMEOUT_S)
        self.assertGreaterEqual(info.schema_version, 1)
        self.assertTrue(info.server_version)


if __name__ == "__main__":
    unittest.main(verbosity=2)
