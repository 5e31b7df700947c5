<?php echo "blog ok";
