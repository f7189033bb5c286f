package io.portao.check;

import java.util.Collection;

/** The closest of some names to a misspelt one ("did you mean"), by edit distance. */
final class Suggestions {

	private Suggestions() {
	}

	/**
	 * The candidate closest to {@code wrong}, if it is close enough to be a typo: at most 2 edits, or a third of the
	 * word for long words ({@code max-fail} → {@code max-fails}, {@code predicate} → {@code predicates}).
	 */
	static String closest(String wrong, Collection<String> candidates) {
		int limit = Math.max(2, wrong.length() / 3);
		String best = null;
		int bestDistance = limit + 1;
		for (String candidate : candidates) {
			if (Math.abs(candidate.length() - wrong.length()) < bestDistance) {
				int distance = distance(wrong, candidate);
				if (distance < bestDistance) {
					best = candidate;
					bestDistance = distance;
				}
			}
		}
		return best;
	}

	/** Levenshtein distance. */
	static int distance(String a, String b) {
		int[] previous = new int[b.length() + 1];
		int[] current = new int[b.length() + 1];
		for (int j = 0; j <= b.length(); j++) {
			previous[j] = j;
		}
		for (int i = 1; i <= a.length(); i++) {
			current[0] = i;
			for (int j = 1; j <= b.length(); j++) {
				int substitution = previous[j - 1] + ((a.charAt(i - 1) == b.charAt(j - 1)) ? 0 : 1);
				current[j] = Math.min(substitution, Math.min(previous[j], current[j - 1]) + 1);
			}
			int[] swap = previous;
			previous = current;
			current = swap;
		}
		return previous[b.length()];
	}

}
