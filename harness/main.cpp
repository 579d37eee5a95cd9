// sockdrill: runs TCP incident cases in network namespaces and checks what the kernel shows.
#include "harness/cli/controller.hpp"

int main(int argc, char** argv) { return sockdrill::controller_main(argc, argv); }
