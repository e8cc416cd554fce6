/* GLPK's C API, as installed by Debian's libglpk-dev. This module promises no
 * stable API: only Sources/InfusionScheduler/Solvers/GLPKSolver.swift imports it. */
#include <glpk.h>
