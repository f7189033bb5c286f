/**
 * The stages of a request, in order, and the order every filter of Portão takes from them
 * ({@link io.portao.stages.RequestStages}).
 */
package io.portao.stages;
