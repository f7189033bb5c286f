/**
 * Start-up checks shared by every concern: a bad property fails start-up with one line naming the property, the
 * value and what was expected ({@link io.portao.config.InvalidConfigurationException} and its failure analyzer);
 * properties a reload may change ({@link io.portao.config.ReloadableProperties}); the rule that writes go to the
 * management port only ({@link io.portao.config.ManagementPortWrites}).
 */
package io.portao.config;
