/* Guarded GLPK calls: see include/glpk_guard.h for the rule this file keeps. */
#include "glpk_guard.h"

#include <setjmp.h>
#include <stdatomic.h>
#include <stddef.h>
#include <string.h>

/* One active guard: where glp_error's hook jumps to. Guards live in the C frames of this file
 * and form a stack per thread (innermost first). */
struct guard {
    jmp_buf env;
    struct guard *outer;
};

static _Thread_local struct guard *innermost = NULL;
/* A nested guard caught an error: the environment is at error and waits for the outermost
 * guard to free it; no GLPK call may be made until then. */
static _Thread_local int failure_pending = 0;
static _Thread_local unsigned long generation = 1;
/* GLPK's message of the error being reported, then of the last failure. */
#define MESSAGE_SIZE 1024
static _Thread_local char collecting[MESSAGE_SIZE];
static _Thread_local size_t collected = 0;
static _Thread_local int collecting_error = 0;
static _Thread_local char last_message[MESSAGE_SIZE];

static _Thread_local int thread_fault = IGLP_FAULT_NONE;
static atomic_int process_fault = IGLP_FAULT_NONE;

/* glp_error's hook: jump to the innermost guard of this thread. Without one (a GLPK call that
 * bypassed this file) it returns, and GLPK aborts as it always did. */
static void on_error(void *info) {
    (void)info;
    if (innermost != NULL) longjmp(innermost->env, 1);
}

/* The terminal hook: while GLPK reports an error (it then turns terminal output on), keep the
 * text for the failure and keep it off stdout; otherwise let GLPK print as it would. */
static int on_term(void *info, const char *s) {
    (void)info;
    if (!glp_at_error()) return 0;
    if (!collecting_error) {
        collecting_error = 1;
        collected = 0;
        collecting[0] = '\0';
    }
    size_t n = strlen(s);
    if (n > MESSAGE_SIZE - 1 - collected) n = MESSAGE_SIZE - 1 - collected;
    memcpy(collecting + collected, s, n);
    collected += n;
    collecting[collected] = '\0';
    return 1;
}

/* The outermost guard ends a failure: it keeps GLPK's message and frees the environment. */
static int settle(void) {
    memcpy(last_message, collecting, collected + 1);
    if (collected == 0) strcpy(last_message, "GLPK reported an error without a message");
    collecting_error = 0;
    collected = 0;
    failure_pending = 0;
    /* GLPK's environment is invalid after an error: free it (and every object of this thread's
     * environment); the next GLPK call creates a new one. */
    glp_free_env();
    generation += 1;
    return IGLP_FAILED;
}

/* A long jump reached guard `g`: the failure is this call's. */
static int caught(struct guard *g) {
    innermost = g->outer;
    if (g->outer != NULL) {
        /* Nested (a Swift callback of glp_intopt is running): the outer call still uses the
         * environment, so only mark it failed; the trampoline unwinds to the outer guard. */
        failure_pending = 1;
        return IGLP_FAILED;
    }
    return settle();
}

/* Opens a guard in the calling function's frame; a jump back returns IGLP_FAILED from it. The
 * hooks are set on each outermost entry (a fresh environment has none). */
#define GUARD_BEGIN                                         \
    struct guard g_;                                        \
    if (failure_pending)                                    \
        /* Only a nested guard's failure is pending; should \
         * one reach the outermost level unsettled, the     \
         * environment is freed here. */                    \
        return innermost == NULL ? settle() : IGLP_FAILED;  \
    g_.outer = innermost;                                   \
    if (g_.outer == NULL) {                                 \
        glp_error_hook(on_error, NULL);                     \
        glp_term_hook(on_term, NULL);                       \
    }                                                       \
    innermost = &g_;                                        \
    if (setjmp(g_.env) != 0) return caught(&g_);

#define GUARD_END                                           \
    innermost = g_.outer;                                   \
    if (failure_pending && innermost == NULL)               \
        return settle();                                    \
    return IGLP_OK;

#define GUARDED(statement) { GUARD_BEGIN statement; GUARD_END }

unsigned long iglp_generation(void) { return generation; }
const char *iglp_failure_message(void) { return last_message; }

int iglp_fault(void) {
    return thread_fault != IGLP_FAULT_NONE ? thread_fault : atomic_load(&process_fault);
}
int iglp_thread_fault(void) { return thread_fault; }
void iglp_arm_thread_fault(int fault) { thread_fault = fault; }
void iglp_arm_process_fault(int fault) { atomic_store(&process_fault, fault); }

int iglp_term_out(int flag) GUARDED(glp_term_out(flag))
int iglp_create_prob(glp_prob **out) GUARDED(*out = glp_create_prob())
int iglp_delete_prob(glp_prob *P) GUARDED(glp_delete_prob(P))
int iglp_set_prob_name(glp_prob *P, const char *name) GUARDED(glp_set_prob_name(P, name))
int iglp_set_obj_name(glp_prob *P, const char *name) GUARDED(glp_set_obj_name(P, name))
int iglp_set_obj_dir(glp_prob *P, int dir) GUARDED(glp_set_obj_dir(P, dir))
int iglp_set_obj_coef(glp_prob *P, int j, double coef) GUARDED(glp_set_obj_coef(P, j, coef))
int iglp_add_cols(glp_prob *P, int n) GUARDED(glp_add_cols(P, n))
int iglp_add_rows(glp_prob *P, int m) GUARDED(glp_add_rows(P, m))
int iglp_set_col_name(glp_prob *P, int j, const char *name) GUARDED(glp_set_col_name(P, j, name))
int iglp_set_col_kind(glp_prob *P, int j, int kind) GUARDED(glp_set_col_kind(P, j, kind))
int iglp_set_col_bnds(glp_prob *P, int j, int type, double lb, double ub) GUARDED(glp_set_col_bnds(P, j, type, lb, ub))
int iglp_set_row_name(glp_prob *P, int i, const char *name) GUARDED(glp_set_row_name(P, i, name))
int iglp_set_row_bnds(glp_prob *P, int i, int type, double lb, double ub) GUARDED(glp_set_row_bnds(P, i, type, lb, ub))
int iglp_load_matrix(glp_prob *P, int ne, const int ia[], const int ja[], const double ar[])
    GUARDED(glp_load_matrix(P, ne, ia, ja, ar))
int iglp_init_smcp(glp_smcp *parm) GUARDED(glp_init_smcp(parm))
int iglp_init_iocp(glp_iocp *parm) GUARDED(glp_init_iocp(parm))
int iglp_simplex(glp_prob *P, const glp_smcp *parm, int *out) GUARDED(*out = glp_simplex(P, parm))
int iglp_get_status(glp_prob *P, int *out) GUARDED(*out = glp_get_status(P))
int iglp_get_obj_val(glp_prob *P, double *out) GUARDED(*out = glp_get_obj_val(P))
int iglp_get_it_cnt(glp_prob *P, int *out) GUARDED(*out = glp_get_it_cnt(P))
int iglp_get_col_prims(glp_prob *P, int n, double out[])
    GUARDED(for (int j = 1; j <= n; j++) out[j - 1] = glp_get_col_prim(P, j))
int iglp_mip_status(glp_prob *P, int *out) GUARDED(*out = glp_mip_status(P))
int iglp_mip_obj_val(glp_prob *P, double *out) GUARDED(*out = glp_mip_obj_val(P))
int iglp_mip_col_vals(glp_prob *P, int n, double out[])
    GUARDED(for (int j = 1; j <= n; j++) out[j - 1] = glp_mip_col_val(P, j))
int iglp_ios_reason(glp_tree *T, int *out) GUARDED(*out = glp_ios_reason(T))
int iglp_ios_best_node(glp_tree *T, int *out) GUARDED(*out = glp_ios_best_node(T))
int iglp_ios_node_bound(glp_tree *T, int p, double *out) GUARDED(*out = glp_ios_node_bound(T, p))
int iglp_ios_heur_sol(glp_tree *T, const double x[], int *out) GUARDED(*out = glp_ios_heur_sol(T, x))
int iglp_ios_it_cnt(glp_tree *T, int *out) GUARDED(*out = glp_get_it_cnt(glp_ios_get_prob(T)))
int iglp_ios_terminate(glp_tree *T) GUARDED(glp_ios_terminate(T))
int iglp_write_lp(glp_prob *P, const char *fname, int *out) GUARDED(*out = glp_write_lp(P, NULL, fname))
int iglp_write_mps(glp_prob *P, int fmt, const char *fname, int *out) GUARDED(*out = glp_write_mps(P, fmt, NULL, fname))

/* The Swift callback of one glp_intopt and its context. */
struct callback_bridge {
    void (*callback)(glp_tree *T, void *info);
    void *info;
};

/* GLPK's branch-and-cut callback: calls the Swift one, then, in this C frame with no Swift
 * frame above it, unwinds a failure that a nested guard caught to the guard of glp_intopt. */
static void trampoline(glp_tree *T, void *info) {
    struct callback_bridge *bridge = info;
    if (!failure_pending) bridge->callback(T, bridge->info);
    if (failure_pending && innermost != NULL) longjmp(innermost->env, 1);
}

int iglp_intopt(glp_prob *P, const glp_iocp *parm, void (*callback)(glp_tree *T, void *info), void *info, int *out) {
    struct callback_bridge bridge = { callback, info };
    glp_iocp copy = *parm;
    copy.cb_func = callback != NULL ? trampoline : NULL;
    copy.cb_info = callback != NULL ? &bridge : NULL;
    GUARDED(*out = glp_intopt(P, &copy))
}
