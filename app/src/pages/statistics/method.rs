//! "How these figures are made": the method, in words, on the page.

use leptos::prelude::*;

#[component]
pub fn Method() -> impl IntoView {
    view! {
        <section aria-labelledby="method" class="app-statistics-section app-statistics-method">
            <h2 id="method">"How these figures are made"</h2>
            <h3>"Which procedures count"</h3>
            <p>"The analysis takes every primary procedure (a first implant) recorded up to the analysis date, as its record reads now (after any corrections). A revision or removal is linked to the most recent earlier primary of the same patient, at the same body site and on the same side (left, right or both, exactly); only the first revision of a primary counts. A revision recorded on the day of its primary, after it, counts at time zero."</p>
            <p>"A primary can be followed only if the patient consented to their record being linked (the registry then holds a pseudonym, never their identity). Primaries without consent count in the procedure volumes but not in survival or revision rates; each survival table says how many there were. A second primary on a side whose first was not recorded as revised replaces it: the first is followed up to the day of the second."</p>
            <h3>"Time at risk"</h3>
            <p>"Years at risk are days divided by 365.25, from the primary to its first linked revision or removal, or to the analysis date. The registry has no record of deaths yet: people who died keep counting as at risk, so where many patients are old the percentages revised overstate what a living patient can expect."</p>
            <h3>"Survival"</h3>
            <p>"Cumulative percent revised is 100 × (1 − S(t)), where S(t) is the Kaplan–Meier estimate of the share not yet revised t years after the primary (revisions on a day are counted before the follow-ups that end that day). The 95 % confidence limits use Greenwood's variance on the log(−log) scale (the \"exponential Greenwood\" formula), which keeps them between 0 and 100 %. A primary counts for every device in it. Estimates are given at each whole year from 1 to 20 and withheld (\"Not available\") where fewer than 10 primaries remain at risk, as the National Joint Registry does."</p>
            <h3>"Revision rates and outliers"</h3>
            <p>"The revision rate is revisions per 100 component-years at risk, with exact Poisson 95 % confidence limits. Each device is compared with the rest of its body-site group: every other primary at that site that does not contain it. A device is flagged as an outlier when it has at least 10 linkable primaries, its rate is at least twice the group's, and the one-sided Poisson probability of seeing at least its revisions at the group's rate over its component-years is below 0.05."</p>
            <p>"The National Joint Registry's levels are shown beside it: level 1 is at least twice the rate with at least 100 primaries; level 2 is at least twice the rate with fewer, or at least 1.5 times with at least 100. The funnel plots compare each device with the whole site's rate (so their ratios differ a little from the outlier screen's, most for devices that are a large part of their site), between probability limits of the Poisson distribution, interpolated between its steps."</p>
            <h3>"Completeness"</h3>
            <p>"Linkable is the share of procedures whose patient consented; matched is the share of components whose device identifier is in the device register; traceable is the share of components with a lot or serial number recorded. They are worked out from exact counts, by clinic and month, and added up by year."</p>
            <h3>"Small numbers"</h3>
            <p>"Every figure passes through one disclosure-control step on the registry's server before it is sent. On the public pages, small counts of people or procedures are shown as a range (\"1–7\" by default) and other counts are rounded (to the nearest 5 by default; 0 is shown as 0): the thresholds in force are stated above the figures. Rates, percentages and confidence limits are not rounded: they are worked out from exact counts. Registry administrators see exact counts, marked as not for publication."</p>
        </section>
    }
}
