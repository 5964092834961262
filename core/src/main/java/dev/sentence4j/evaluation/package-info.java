/** Evaluation: measures of how well similarity scores agree with human judgements. */
package dev.sentence4j.evaluation;
