# R's `survey` numbers for the weighted tests (tests/test_weights.py reads reference.json).
# Run from the project root after make_data.py:
#     Rscript tests/survey_reference/reference.R
# Needs r-base-core and r-cran-survey (Debian) with jsonlite; the tests do not need R.
suppressMessages({library(survey); library(jsonlite)})
here <- "tests/survey_reference"
d <- read.csv(file.path(here, "customers.csv"), stringsAsFactors = FALSE)
items <- c("basics_correct_info", "ownership_problem", "channels_consistent", "overall_strong_cx")
for (item in items) d[[paste0("agree_", item)]] <- as.numeric(d[[item]] >= 4)
d$promoter <- as.numeric(d$recommend >= 9)
d$detractor <- as.numeric(d$recommend <= 6)
d$nps <- 100 * (d$promoter - d$detractor)
des <- svydesign(ids = ~1, weights = ~weight, data = d)
flat <- svydesign(ids = ~1, weights = ~1, data = d)

share <- function(design, var) {
  m <- svymean(as.formula(paste0("~", var)), design, na.rm = TRUE)
  answered <- !is.na(design$variables[[var]])
  w <- weights(design)[answered]
  sub <- subset(design, !is.na(design$variables[[var]]))
  beta <- svyciprop(as.formula(paste0("~", var)), sub, method = "beta", level = 0.95)
  logit <- svyciprop(as.formula(paste0("~", var)), sub, method = "logit", level = 0.95)
  list(
    estimate = unname(coef(m)[1]), se = unname(SE(m)[1]),
    n = sum(answered), n_all = nrow(design$variables),
    kish_n = sum(w)^2 / sum(w^2),
    beta = unname(as.numeric(attr(beta, "ci"))),
    logit = unname(as.numeric(attr(logit, "ci"))),
    degf = degf(sub)
  )
}

out <- list(survey_version = as.character(packageVersion("survey")))
out$weighted <- lapply(setNames(items, items), function(i) share(des, paste0("agree_", i)))
out$unweighted <- lapply(setNames(items, items), function(i) share(flat, paste0("agree_", i)))

nps <- function(design) {
  m <- svymean(~nps, design, na.rm = TRUE)
  list(estimate = unname(coef(m)[1]), se = unname(SE(m)[1]))
}
out$nps <- list(weighted = nps(des), unweighted = nps(flat))

# Domains: each region's share (svyby keeps the whole design for the variance).
by_region <- svyby(~agree_basics_correct_info, ~region, des, svymean, na.rm = TRUE)
out$by_region <- lapply(split(by_region, by_region$region), function(r)
  list(estimate = r[[2]], se = r[[3]]))

# Raking to population totals of region and channel, converged tightly (R's default
# stops at a change under 1 in the totals after at most 10 sweeps: recorded too).
regions <- data.frame(region = c("East", "North", "South", "West"), Freq = c(2500, 3000, 3000, 1500))
channels <- data.frame(channel = c("phone", "store", "web"), Freq = c(2000, 3500, 4500))
raked <- rake(des, list(~region, ~channel), list(regions, channels),
              control = list(maxit = 1000, epsilon = 1e-12))
raked_default <- rake(des, list(~region, ~channel), list(regions, channels))
out$raked <- list(
  margins = list(region = setNames(as.list(regions$Freq), regions$region),
                 channel = setNames(as.list(channels$Freq), channels$channel)),
  weights = unname(weights(raked)),
  weights_default_control = unname(weights(raked_default)),
  shares = lapply(setNames(items, items), function(i) {
    m <- svymean(as.formula(paste0("~agree_", i)), raked, na.rm = TRUE)
    list(estimate = unname(coef(m)[1]), se = unname(SE(m)[1]))
  }),
  # svyciprop's beta interval on the raked design among those who answered: a calibrated
  # design keeps the others with weight 0 (nrow = every respondent, degf = n - 1)
  beta = lapply(setNames(items, items), function(i) {
    var <- paste0("agree_", i)
    sub <- subset(raked, !is.na(raked$variables[[var]]))
    ci <- svyciprop(as.formula(paste0("~", var)), sub, method = "beta", level = 0.95,
                    na.rm = TRUE)
    unname(as.numeric(attr(ci, "ci")))
  })
)

# Raking the unweighted sample (every weight 1, so every respondent of a cell gets one
# weight), then trimming at 1.5 x the mean weight with the excess spread evenly over the
# others, repeated until none is above (trimWeights, strict = TRUE).
raked_flat <- rake(flat, list(~region, ~channel), list(regions, channels),
                   control = list(maxit = 1000, epsilon = 1e-12))
trim_cap <- 1.5
trimmed <- trimWeights(raked_flat, upper = trim_cap * mean(weights(raked_flat)), strict = TRUE)
raked_shares <- function(design) lapply(setNames(items, items), function(i) {
  m <- svymean(as.formula(paste0("~agree_", i)), design, na.rm = TRUE)
  list(estimate = unname(coef(m)[1]), se = unname(SE(m)[1]))
})
out$raked_unweighted <- list(
  cap = trim_cap,
  weights = unname(weights(raked_flat)),
  shares = raked_shares(raked_flat),
  trimmed_weights = unname(weights(trimmed)),
  trimmed_shares = raked_shares(trimmed)
)
writeLines(toJSON(out, digits = I(17), auto_unbox = TRUE, pretty = TRUE),
           file.path(here, "reference.json"))
