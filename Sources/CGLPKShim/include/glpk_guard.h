/* Guarded GLPK calls: GLPK never takes the process down.
 *
 * GLPK reports misuse and internal failures (a bad index, an assertion, memory exhaustion)
 * through glp_error, which prints a message and aborts the process unless the error hook jumps
 * away. Every GLPK call of MIPKit goes through a function of this header instead: each runs its
 * call under setjmp, and the hook installed on this thread's GLPK environment long-jumps back to
 * the innermost active guard of THIS thread (GLPK's environment is thread-local in Debian's
 * build, so is the guard stack). The function then returns IGLP_FAILED, and
 * iglp_failure_message() gives what GLPK said.
 *
 * THE RULE (no long jump ever crosses a Swift frame):
 *  - Swift calls GLPK only through these functions. A guard is set in a C frame of this file,
 *    so the jump from glp_error to it unwinds only GLPK's C frames.
 *  - glp_intopt calls back into Swift (the branch-and-cut callback, which calls GLPK again).
 *    iglp_intopt installs a C trampoline as GLPK's callback; the Swift callback it calls makes
 *    its GLPK calls through these functions too, so an error there lands in a *nested* guard,
 *    below the Swift frame. A nested guard cannot free the environment (glp_intopt, below the
 *    Swift callback, still uses it): it marks this thread's environment failed and returns
 *    IGLP_FAILED; every guarded call then fails at once without calling GLPK, and the Swift
 *    callback must return. Back in the trampoline (a C frame, no Swift frame above it), the
 *    pending failure long-jumps to the guard of glp_intopt itself.
 *  - The outermost guard of the thread frees the failed environment with glp_free_env(), as
 *    GLPK's documentation requires, which frees every GLPK object of this thread; the
 *    thread's generation (iglp_generation) then changes, and an owner of a glp_prob created in
 *    an earlier generation must not delete it (it is already freed).
 *
 * A failure still pending when control is back at the outermost level (entering or leaving a
 * guard) is settled there the same way.
 *
 * The hooks (the error hook and a terminal hook that takes GLPK's error message instead of
 * letting it reach stdout) are set on this thread's environment by every outermost guard (a
 * fresh environment has none); outside an error, the terminal hook passes the output on
 * unchanged (glp_term_out still decides whether there is any). A guarded call costs about
 * 55-75 ns more than the bare call (setjmp and the two hook calls), measured on a loaded
 * 2-core machine; a deterministic medium-1 solve takes the same time as before. */
#ifndef GLPK_GUARD_H
#define GLPK_GUARD_H

#include <glpk.h>

#define IGLP_OK 0
#define IGLP_FAILED 1

/* Faults provoked on purpose, for the tests only (a package-level seam of MIPKit). */
#define IGLP_FAULT_NONE 0
/* The branch-and-cut callback makes an invalid GLPK call (a nested guard catches it). */
#define IGLP_FAULT_CALLBACK 1

/* This thread's GLPK environment generation: it changes each time a failure frees the environment. */
unsigned long iglp_generation(void);
/* What GLPK said at this thread's last failure (empty when none); valid until the next failure. */
const char *iglp_failure_message(void);

/* The fault armed for this thread (IGLP_FAULT_*), else the one armed for the whole process. */
int iglp_fault(void);
/* The fault armed for this thread alone. */
int iglp_thread_fault(void);
void iglp_arm_thread_fault(int fault);
void iglp_arm_process_fault(int fault);

/* Every function below runs one GLPK call (or a loop of them) under a guard and returns IGLP_OK
 * or IGLP_FAILED; results go to the `out` parameters. */
int iglp_term_out(int flag);
int iglp_create_prob(glp_prob **out);
int iglp_delete_prob(glp_prob *P);
int iglp_set_prob_name(glp_prob *P, const char *name);
int iglp_set_obj_name(glp_prob *P, const char *name);
int iglp_set_obj_dir(glp_prob *P, int dir);
int iglp_set_obj_coef(glp_prob *P, int j, double coef);
int iglp_add_cols(glp_prob *P, int n);
int iglp_add_rows(glp_prob *P, int m);
int iglp_set_col_name(glp_prob *P, int j, const char *name);
int iglp_set_col_kind(glp_prob *P, int j, int kind);
int iglp_set_col_bnds(glp_prob *P, int j, int type, double lb, double ub);
int iglp_set_row_name(glp_prob *P, int i, const char *name);
int iglp_set_row_bnds(glp_prob *P, int i, int type, double lb, double ub);
int iglp_load_matrix(glp_prob *P, int ne, const int ia[], const int ja[], const double ar[]);
int iglp_init_smcp(glp_smcp *parm);
int iglp_init_iocp(glp_iocp *parm);
int iglp_simplex(glp_prob *P, const glp_smcp *parm, int *out);
int iglp_get_status(glp_prob *P, int *out);
int iglp_get_obj_val(glp_prob *P, double *out);
int iglp_get_it_cnt(glp_prob *P, int *out);
/* Primal values of columns 1...n into out[0...n-1]. */
int iglp_get_col_prims(glp_prob *P, int n, double out[]);
/* glp_intopt with `callback` (may be NULL) called through the trampoline; parm's cb_func and
 * cb_info are ignored. */
int iglp_intopt(glp_prob *P, const glp_iocp *parm, void (*callback)(glp_tree *T, void *info), void *info, int *out);
int iglp_mip_status(glp_prob *P, int *out);
int iglp_mip_obj_val(glp_prob *P, double *out);
/* MIP values of columns 1...n into out[0...n-1]. */
int iglp_mip_col_vals(glp_prob *P, int n, double out[]);
int iglp_ios_reason(glp_tree *T, int *out);
int iglp_ios_best_node(glp_tree *T, int *out);
int iglp_ios_node_bound(glp_tree *T, int p, double *out);
int iglp_ios_heur_sol(glp_tree *T, const double x[], int *out);
/* Simplex iterations of the problem the tree solves. */
int iglp_ios_it_cnt(glp_tree *T, int *out);
int iglp_ios_terminate(glp_tree *T);
int iglp_write_lp(glp_prob *P, const char *fname, int *out);
int iglp_write_mps(glp_prob *P, int fmt, const char *fname, int *out);

#endif
