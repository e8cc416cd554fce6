/* GLPK's C API, as installed by Debian's libglpk-dev. This module promises no
 * stable API: only Sources/MIPKit/GLPKSolver.swift imports it (for types and
 * constants), and calls GLPK only through CGLPKShim's guarded functions. */
#include <glpk.h>
