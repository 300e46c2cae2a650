#ifndef VNETSIM_CGSL_SHIM_H
#define VNETSIM_CGSL_SHIM_H
/*
 * The parts of GSL that vnetsim uses, with accessors for what Swift 6 cannot
 * touch directly: GSL's generator types are mutable global variables
 * (`gsl_rng_mt19937` etc.), which strict concurrency rejects, so each one is
 * returned by a `static inline` function instead.
 */
#include <gsl/gsl_errno.h>
#include <gsl/gsl_rng.h>
#include <gsl/gsl_randist.h>
#include <gsl/gsl_cdf.h>
#include <gsl/gsl_statistics_double.h>
#include <gsl/gsl_sort_double.h>
#include <gsl/gsl_math.h>
#include <gsl/gsl_version.h>

static inline const gsl_rng_type *vnetsim_rng_mt19937(void) { return gsl_rng_mt19937; }
static inline const gsl_rng_type *vnetsim_rng_taus2(void) { return gsl_rng_taus2; }
static inline const gsl_rng_type *vnetsim_rng_ranlxd2(void) { return gsl_rng_ranlxd2; }

/* gsl_rng_uniform_pos is inline only when HAVE_INLINE is set; this calls
 * the generator's function pointer directly so the hot path has no extra
 * library call. (The uniform and raw draws are done in Swift, RandomStream.) */
static inline double vnetsim_rng_uniform_pos(const gsl_rng *r) {
    double x;
    do { x = (r->type->get_double)(r->state); } while (x == 0);
    return x;
}

static inline const char *vnetsim_gsl_version(void) { return gsl_version; }
/* Switch off GSL's default abort-on-error handler; every status is then
 * returned to the caller and checked in Swift (Stochastics/GSLStatus.swift). */
static inline void vnetsim_gsl_disable_abort(void) { gsl_set_error_handler_off(); }
#endif
