"""A repository rule that wraps a system library found by pkg-config.

The generated repository holds one cc_library, `:lib`, whose linkopts and
copts are what `pkg-config --libs/--cflags` print on this machine.
"""

def _pkg_config_library_impl(rctx):
    pkg_config = rctx.which("pkg-config")
    if pkg_config == None:
        fail("pkg-config is not installed (apt-get install pkg-config)")
    args = [str(pkg_config)] + rctx.attr.modules
    libs = rctx.execute(args + ["--libs"])
    if libs.return_code != 0:
        fail("pkg-config --libs %s failed: %s" % (" ".join(rctx.attr.modules), libs.stderr))
    cflags = rctx.execute(args + ["--cflags"])
    if cflags.return_code != 0:
        fail("pkg-config --cflags %s failed: %s" % (" ".join(rctx.attr.modules), cflags.stderr))
    rctx.file("WORKSPACE", "workspace(name = \"%s\")\n" % rctx.name)
    rctx.file("BUILD.bazel", """cc_library(
    name = "lib",
    copts = {copts},
    linkopts = {linkopts},
    visibility = ["//visibility:public"],
)
""".format(
        copts = repr([f for f in cflags.stdout.strip().split(" ") if f]),
        linkopts = repr([f for f in libs.stdout.strip().split(" ") if f]),
    ))

pkg_config_library = repository_rule(
    implementation = _pkg_config_library_impl,
    attrs = {"modules": attr.string_list(mandatory = True)},
    local = True,
)
