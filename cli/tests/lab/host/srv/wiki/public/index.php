<?php echo "wiki ok";
