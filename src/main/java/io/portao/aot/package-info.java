/**
 * Spring AOT, used only where it is sound: the build records what its conditions decided
 * ({@link io.portao.aot.BuildConditionsRecorder}), and a start that asks for the build's bean definitions
 * ({@code -Dspring.aot.enabled=true}, as the image does) gets them only when every condition still decides the same
 * with that start's own configuration ({@link io.portao.aot.AotConditionsGuard}); otherwise it starts as without
 * AOT.
 */
package io.portao.aot;
