// Entry point of the `sockdrill` command.
#pragma once

namespace sockdrill {
int controller_main(int argc, char** argv);
}
