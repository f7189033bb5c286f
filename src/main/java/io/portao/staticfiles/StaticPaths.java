package io.portao.staticfiles;

/**
 * Which request targets the static locations may answer, for a lane that must leave them alone (the proxy lane:
 * the static handler mapping comes ahead of every route). Reads the locations being served now, so a reload that
 * adds one is seen from the next request on.
 */
public final class StaticPaths {

	private final StaticFilesHandlerMapping mapping;

	StaticPaths(StaticFilesHandlerMapping mapping) {
		this.mapping = mapping;
	}

	/**
	 * Whether a static location may take {@code target} (a raw origin-form request target): it names one of the
	 * directories, with or without its last slash, a query or path parameters. Conservative: a pattern that is not
	 * a directory ({@code /**}, {@code /static/*.css}) may take any target.
	 */
	public boolean mayServe(String target) {
		for (StaticSite.Mapping mapping : this.mapping.site().mappings()) {
			String directory = mapping.directory();
			if (directory == null) {
				return true;
			}
			int bare = directory.length() - 1;
			if (target.startsWith(directory, 0) || (target.regionMatches(0, directory, 0, bare)
					&& (target.length() == bare || target.charAt(bare) == '?' || target.charAt(bare) == ';'))) {
				return true;
			}
		}
		return false;
	}

}
